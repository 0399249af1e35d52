/**
 * `jit doctor` against the GitHub emulator over HTTP: a sound setup passes, and each
 * misconfiguration, planted on its own, is the one thing found.
 */
import type { GitHubEmulator } from '../../emulators/github/server.js';
import {
  CODEOWNERS,
  DOCTOR_TOKEN,
  PULL_REQUEST_RULE,
  REPO,
  SOUND_RULESET,
  diagnose,
  ids,
  soundRepository,
} from './world.js';

let gh: GitHubEmulator;
afterEach(() => gh.close());

/** A sound ruleset whose pull request rule has one parameter changed. */
const rulesetWith = (parameters: Record<string, unknown>) => ({
  ...SOUND_RULESET,
  rules: [
    { ...PULL_REQUEST_RULE, parameters: { ...PULL_REQUEST_RULE.parameters, ...parameters } },
    { type: 'non_fast_forward' },
  ],
});

describe('a sound setup', () => {
  test('with a ruleset: nothing found', async () => {
    gh = await soundRepository();
    expect(await diagnose(gh)).toEqual([]);
  });

  test('with classic branch protection that binds admins: nothing found', async () => {
    gh = await soundRepository({ ruleset: false });
    gh.state.protectBranch(REPO, 'main', {
      requiredApprovingReviewCount: 1,
      requireCodeOwnerReviews: true,
      dismissStaleReviews: true,
      requireLastPushApproval: true,
      enforceAdmins: true,
    });
    expect(await diagnose(gh)).toEqual([]);
  });

  test('admins bypassing classic protection do not matter when a ruleset binds everyone', async () => {
    gh = await soundRepository();
    gh.state.protectBranch(REPO, 'main', { enforceAdmins: false, allowForcePushes: true });
    expect(await diagnose(gh)).toEqual([]);
  });
});

describe('each misconfiguration is found', () => {
  beforeEach(async () => (gh = await soundRepository({ ruleset: false })));
  const withRuleset = (ruleset = SOUND_RULESET) => gh.state.addRuleset(REPO, ruleset);

  test('no CODEOWNERS file', async () => {
    withRuleset();
    gh.state.commitToBranch(REPO, 'main', { '.github/CODEOWNERS': null });
    expect(ids(await diagnose(gh))).toEqual(['codeowners-missing']);
  });

  test('CODEOWNERS naming a team that does not exist', async () => {
    withRuleset();
    gh.state.commitToBranch(REPO, 'main', {
      '.github/CODEOWNERS': CODEOWNERS.replace(
        '/requests/ @acme/platform-security',
        '/requests/ @acme/ghosts',
      ),
    });
    const findings = await diagnose(gh);
    expect(ids(findings)).toEqual(['codeowners-errors']);
    expect(findings[0]?.message).toContain('line 3: Unknown owner');
  });

  test('CODEOWNERS leaving the config without an owner (a later line with no owners wins)', async () => {
    withRuleset();
    gh.state.commitToBranch(REPO, 'main', { '.github/CODEOWNERS': `${CODEOWNERS}*.yaml\n` });
    const findings = await diagnose(gh);
    expect(ids(findings)).toEqual(['codeowners-coverage']);
    expect(findings[0]?.message).toContain('requests/example.yaml, jit.config.yaml');
  });

  test('CODEOWNERS owning only requests/', async () => {
    withRuleset();
    gh.state.commitToBranch(REPO, 'main', {
      '.github/CODEOWNERS': '/requests/ @acme/access-approvers\n',
    });
    const findings = await diagnose(gh);
    expect(ids(findings)).toEqual(['codeowners-coverage']);
    expect(findings[0]?.message).toContain(
      '.github/workflows/grant.yml, .github/CODEOWNERS, jit.config.yaml',
    );
  });

  test('the default branch unprotected', async () => {
    expect(ids(await diagnose(gh))).toEqual(['branch-unprotected']);
  });

  test('no pull request required', async () => {
    withRuleset({ ...SOUND_RULESET, rules: [{ type: 'non_fast_forward' }] });
    expect(ids(await diagnose(gh))).toEqual(['pull-request-not-required']);
  });

  test('no approvals required', async () => {
    withRuleset(rulesetWith({ required_approving_review_count: 0 }));
    expect(ids(await diagnose(gh))).toEqual(['no-required-approvals']);
  });

  test('code owner review not required', async () => {
    withRuleset(rulesetWith({ require_code_owner_review: false }));
    expect(ids(await diagnose(gh))).toEqual(['code-owner-review-not-required']);
  });

  test('stale approvals kept on push', async () => {
    withRuleset(rulesetWith({ dismiss_stale_reviews_on_push: false }));
    expect(ids(await diagnose(gh))).toEqual(['stale-reviews-kept']);
  });

  test('last-push approval not required', async () => {
    withRuleset(rulesetWith({ require_last_push_approval: false }));
    expect(ids(await diagnose(gh))).toEqual(['last-push-approval-not-required']);
  });

  test('the ruleset can be bypassed by repository admins', async () => {
    withRuleset({
      ...SOUND_RULESET,
      bypass_actors: [{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' }],
    });
    const findings = await diagnose(gh);
    expect(ids(findings)).toEqual(['review-bypass']);
    expect(findings[0]?.message).toContain('ruleset "protect main" by RepositoryRole 5 (always)');
  });

  test('classic protection without enforce_admins', async () => {
    gh.state.protectBranch(REPO, 'main', {
      requireCodeOwnerReviews: true,
      dismissStaleReviews: true,
      requireLastPushApproval: true,
      enforceAdmins: false,
    });
    const findings = await diagnose(gh);
    expect(ids(findings)).toEqual(['review-bypass']);
    expect(findings[0]?.message).toContain('branch protection by repository administrators');
  });

  test('force pushes allowed', async () => {
    withRuleset({ ...SOUND_RULESET, rules: [PULL_REQUEST_RULE] });
    expect(ids(await diagnose(gh))).toEqual(['force-push-allowed']);
  });

  test('a ruleset only in evaluate mode does not protect', async () => {
    withRuleset({ ...SOUND_RULESET, enforcement: 'evaluate' });
    expect(ids(await diagnose(gh))).toEqual(['branch-unprotected']);
  });

  test('no jit-grant environment', async () => {
    withRuleset();
    gh.state.repo(REPO).settings.environments.clear();
    expect(ids(await diagnose(gh))).toEqual(['environment-missing']);
  });

  test('jit-grant deployable from any branch', async () => {
    withRuleset();
    gh.state.addEnvironment(REPO, 'jit-grant', { branchPolicy: null });
    expect(ids(await diagnose(gh))).toEqual(['environment-any-branch']);
  });

  test('jit-grant with custom branch policies the API cannot list: a warning to check by hand', async () => {
    withRuleset();
    gh.state.addEnvironment(REPO, 'jit-grant', {
      branchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    const findings = await diagnose(gh);
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ['environment-branches-unknown', 'warning'],
    ]);
  });

  test('Actions allowed to approve pull requests', async () => {
    withRuleset();
    gh.state.setWorkflowPermissions(REPO, { canApprovePullRequestReviews: true });
    expect(ids(await diagnose(gh))).toEqual(['actions-can-approve']);
  });

  test('a read-write default workflow token: a warning', async () => {
    withRuleset();
    gh.state.setWorkflowPermissions(REPO, { defaultWorkflowPermissions: 'write' });
    const findings = await diagnose(gh);
    expect(findings.map((f) => [f.id, f.severity])).toEqual([['workflow-token-write', 'warning']]);
  });
});

describe('what the token cannot read is reported, not guessed', () => {
  test('without administration: read, protection and workflow settings are unknown', async () => {
    gh = await soundRepository();
    const findings = await diagnose(gh, { permissions: { contents: 'read', actions: 'read' } });
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ['cannot-read', 'error'],
      ['cannot-read', 'error'],
    ]);
    expect(findings[0]?.message).toContain(
      'branch protection of main: the token lacks the administration: read permission',
    );
    expect(findings[1]?.message).toContain('the Actions workflow permissions');
  });

  test('without actions: read, the environment is unknown', async () => {
    gh = await soundRepository();
    const findings = await diagnose(gh, {
      ...DOCTOR_TOKEN,
      permissions: { contents: 'read', administration: 'read' },
    });
    expect(ids(findings)).toEqual(['cannot-read']);
    expect(findings[0]?.message).toContain('the jit-grant environment');
  });
});
