/**
 * `jit doctor` against the GitHub emulator over HTTP: a sound setup passes, and each
 * misconfiguration, planted on its own, is the one thing found.
 */
import type { GitHubEmulator } from '../../emulators/github/server.js';
import {
  CODEOWNERS,
  JIT_APP_ID,
  LOG_RULESET,
  DOCTOR_TOKEN,
  PULL_REQUEST_RULE,
  REPO,
  REQUEST_CHECK_RULE,
  REQUEST_WORKFLOW,
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
    REQUEST_CHECK_RULE,
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
      requiredStatusChecks: ['check'],
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
    withRuleset({ ...SOUND_RULESET, rules: [REQUEST_CHECK_RULE, { type: 'non_fast_forward' }] });
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
      requiredStatusChecks: ['check'],
    });
    const findings = await diagnose(gh);
    expect(ids(findings)).toEqual(['review-bypass']);
    expect(findings[0]?.message).toContain('branch protection by repository administrators');
  });

  test('force pushes allowed', async () => {
    withRuleset({ ...SOUND_RULESET, rules: [PULL_REQUEST_RULE, REQUEST_CHECK_RULE] });
    expect(ids(await diagnose(gh))).toEqual(['force-push-allowed']);
  });

  test('a ruleset only in evaluate mode does not protect', async () => {
    withRuleset({ ...SOUND_RULESET, enforcement: 'evaluate' });
    expect(ids(await diagnose(gh))).toEqual(['branch-unprotected']);
  });

  test('no jit-grant environment', async () => {
    withRuleset();
    gh.state.repo(REPO).settings.environments.delete('jit-grant');
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

  test('request.yml binds jit-request, which does not exist', async () => {
    withRuleset();
    gh.state.repo(REPO).settings.environments.delete('jit-request');
    const findings = await diagnose(gh);
    expect(ids(findings)).toEqual(['request-environment-missing']);
    expect(findings[0]?.message).toContain('the jit-request environment does not exist');
    expect(findings[0]?.fix).toContain('create the jit-request environment');
  });

  test('jit-request deployable from any branch', async () => {
    withRuleset();
    gh.state.addEnvironment(REPO, 'jit-request', { branchPolicy: null });
    const findings = await diagnose(gh);
    expect(ids(findings)).toEqual(['request-environment-any-branch']);
    expect(findings[0]?.message).toContain('any branch can deploy to jit-request');
  });

  test('jit-request with custom branch policies the API cannot list: a warning', async () => {
    withRuleset();
    gh.state.addEnvironment(REPO, 'jit-request', {
      branchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    const findings = await diagnose(gh);
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ['request-environment-branches-unknown', 'warning'],
    ]);
    expect(findings[0]?.message).toContain('jit-request');
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

describe('jit-request is judged only when request.yml runs a job in it', () => {
  beforeEach(async () => (gh = await soundRepository()));
  let requested: string[];
  beforeEach(() => (requested = []));
  const environmentReads = () =>
    requested.filter((url) => url.includes('/environments/jit-request'));

  test('bound, deploying from the default branch only: nothing found', async () => {
    expect(await diagnose(gh, DOCTOR_TOKEN, requested)).toEqual([]);
    expect(environmentReads()).toHaveLength(1);
  });

  test('bound by name in a mapping (environment: { name: … }): judged the same', async () => {
    gh.state.commitToBranch(REPO, 'main', {
      '.github/workflows/request.yml': REQUEST_WORKFLOW.replace(
        'environment: jit-request',
        'environment:\n      name: jit-request',
      ),
    });
    gh.state.repo(REPO).settings.environments.delete('jit-request');
    expect(ids(await diagnose(gh))).toEqual(['request-environment-missing']);
  });

  test.each([
    [
      'a request.yml without the environment',
      (yml: string) => yml.replace(/^ +environment: jit-request\n/m, ''),
    ],
    ['no request.yml', () => null],
  ])('%s: no finding and no read of jit-request, even when it is missing', async (_, change) => {
    gh.state.commitToBranch(REPO, 'main', {
      '.github/workflows/request.yml': change(REQUEST_WORKFLOW),
    });
    gh.state.repo(REPO).settings.environments.delete('jit-request');
    expect(await diagnose(gh, DOCTOR_TOKEN, requested)).toEqual([]);
    expect(environmentReads()).toEqual([]);
  });

  test('a request.yml doctor cannot parse: a warning to check by hand', async () => {
    gh.state.commitToBranch(REPO, 'main', {
      '.github/workflows/request.yml': `${REQUEST_WORKFLOW}x: &a 1\n`,
    });
    const findings = await diagnose(gh, DOCTOR_TOKEN, requested);
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ['request-workflow-unparsed', 'warning'],
    ]);
    expect(findings[0]?.message).toContain('line ');
    expect(environmentReads()).toEqual([]);
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

  test('without actions: read, both environments are unknown', async () => {
    gh = await soundRepository();
    const findings = await diagnose(gh, {
      ...DOCTOR_TOKEN,
      permissions: { contents: 'read', administration: 'read' },
    });
    expect(ids(findings)).toEqual(['cannot-read', 'cannot-read']);
    expect(findings[0]?.message).toContain('the jit-grant environment');
    expect(findings[1]?.message).toContain('the jit-request environment');
  });
});

describe('the request check must be a required status check', () => {
  beforeEach(async () => (gh = await soundRepository({ ruleset: false })));

  test('a ruleset that does not require it', async () => {
    gh.state.addRuleset(REPO, {
      ...SOUND_RULESET,
      rules: [PULL_REQUEST_RULE, { type: 'non_fast_forward' }],
    });
    const findings = await diagnose(gh);
    expect(ids(findings)).toEqual(['request-check-not-required']);
    expect(findings[0]?.message).toContain('"check"');
  });

  test('a ruleset requiring only another check', async () => {
    gh.state.addRuleset(REPO, {
      ...SOUND_RULESET,
      rules: [
        PULL_REQUEST_RULE,
        {
          type: 'required_status_checks',
          parameters: {
            strict_required_status_checks_policy: false,
            required_status_checks: [{ context: 'lint' }],
          },
        },
        { type: 'non_fast_forward' },
      ],
    });
    expect(ids(await diagnose(gh))).toEqual(['request-check-not-required']);
  });

  test('required by classic protection alone, next to a ruleset without it: enough', async () => {
    gh.state.addRuleset(REPO, {
      ...SOUND_RULESET,
      rules: [PULL_REQUEST_RULE, { type: 'non_fast_forward' }],
    });
    gh.state.protectBranch(REPO, 'main', { requiredStatusChecks: ['check'] });
    expect(await diagnose(gh)).toEqual([]);
  });

  test('classic protection without it', async () => {
    gh.state.protectBranch(REPO, 'main', {
      requireCodeOwnerReviews: true,
      dismissStaleReviews: true,
      requireLastPushApproval: true,
      enforceAdmins: true,
      requiredStatusChecks: ['build'],
    });
    expect(ids(await diagnose(gh))).toEqual(['request-check-not-required']);
  });
});

describe('the decision log branch is guarded for the App alone', () => {
  beforeEach(async () => {
    gh = await soundRepository();
    // Each test replaces the sound log ruleset with one weakened in one way.
    const settings = gh.state.repo(REPO).settings;
    settings.rulesets = settings.rulesets.filter((r) => r.name !== LOG_RULESET.name);
  });
  const withLogRuleset = (change: Partial<typeof LOG_RULESET>) =>
    gh.state.addRuleset(REPO, { ...LOG_RULESET, ...change });
  const rulesWithout = (type: string) => LOG_RULESET.rules!.filter((r) => r.type !== type);

  test('the sound ruleset passes', async () => {
    withLogRuleset({});
    expect(await diagnose(gh)).toEqual([]);
  });

  test.each(['creation', 'update', 'deletion', 'non_fast_forward'])(
    'a ruleset without %s',
    async (rule) => {
      withLogRuleset({ rules: rulesWithout(rule) });
      const findings = await diagnose(gh);
      expect(ids(findings)).toEqual(['decision-log-rule-missing']);
      expect(findings[0]?.message).toContain(`has ${rule}:`);
    },
  );

  test.each(['RepositoryRole', 'Team', 'OrganizationAdmin', 'DeployKey'])(
    'a %s bypass actor next to the App',
    async (actorType) => {
      withLogRuleset({
        bypass_actors: [
          ...LOG_RULESET.bypass_actors!,
          {
            actor_id: actorType === 'OrganizationAdmin' || actorType === 'DeployKey' ? null : 5,
            actor_type: actorType,
            bypass_mode: 'always',
          },
        ],
      });
      const findings = await diagnose(gh);
      expect(ids(findings)).toEqual(['decision-log-bypass']);
      expect(findings[0]?.message).toContain(actorType);
    },
  );

  test('GitHub Actions as a bypass actor: every workflow GITHUB_TOKEN could write the log', async () => {
    withLogRuleset({
      bypass_actors: [
        ...LOG_RULESET.bypass_actors!,
        { actor_id: 15368, actor_type: 'Integration', bypass_mode: 'always' },
      ],
    });
    const findings = await diagnose(gh);
    expect(ids(findings)).toEqual(['decision-log-bypass']);
    expect(findings[0]?.message).toContain('Integration 15368');
  });

  test('no bypass actor: not even the App can write the log', async () => {
    withLogRuleset({ bypass_actors: [] });
    expect(ids(await diagnose(gh))).toEqual(['decision-log-app-cannot-write']);
  });

  test('the App allowed to bypass through pull requests only: it cannot write the log', async () => {
    withLogRuleset({
      bypass_actors: [
        { actor_id: JIT_APP_ID, actor_type: 'Integration', bypass_mode: 'pull_request' },
      ],
    });
    expect(ids(await diagnose(gh))).toEqual(['decision-log-app-cannot-write']);
  });

  test('an evaluate-only ruleset enforces nothing', async () => {
    withLogRuleset({ enforcement: 'evaluate' });
    const findings = await diagnose(gh);
    expect(ids(findings)).toEqual(['decision-log-unguarded']);
    expect(findings[0]?.message).toContain('"decision log" (evaluate)');
  });

  test('a ruleset that targets another branch', async () => {
    withLogRuleset({ conditions: { ref_name: { include: ['refs/heads/jit-logs'], exclude: [] } } });
    expect(ids(await diagnose(gh))).toEqual(['decision-log-unguarded']);
  });

  test('a ruleset whose pattern covers the branch but excludes it', async () => {
    withLogRuleset({
      conditions: { ref_name: { include: ['refs/heads/jit-*'], exclude: ['jit-log'] } },
    });
    expect(ids(await diagnose(gh))).toEqual(['decision-log-unguarded']);
  });

  test('a pattern covering the branch counts', async () => {
    withLogRuleset({ conditions: { ref_name: { include: ['refs/heads/jit-*'], exclude: [] } } });
    expect(await diagnose(gh)).toEqual([]);
  });

  test('a missing branch is only a warning: the first grant creates it', async () => {
    withLogRuleset({});
    gh.state.repo(REPO).branches.delete('jit-log');
    const findings = await diagnose(gh);
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ['decision-log-branch-missing', 'warning'],
    ]);
  });
});
