import type { GitHubEmulator } from '../../../emulators/github/server.js';
import { errorsOf, responseValidator } from './openapi.js';
import { REPO, octokit, repo, statusOf, world } from './world.js';

let emu: GitHubEmulator;
beforeEach(async () => (emu = await world()));
afterEach(() => emu.close());

function expectValid(operationId: string, body: unknown): void {
  const validate = responseValidator(operationId, 200);
  validate(body);
  expect(errorsOf(validate)).toEqual([]);
}

describe('settings a doctor inspects', () => {
  it('reports CODEOWNERS owners that do not exist, with line and column', async () => {
    emu.state.commitToBranch(REPO, 'main', {
      '.github/CODEOWNERS':
        '# owners\n/requests/ @acme/platform @bob\n*.yaml @acme/ghosts ops@acme.example\n/x nobody\n',
    });
    const { data } = await octokit(emu).rest.repos.codeownersErrors(repo);
    expectValid('repos/codeowners-errors', data);
    expect(data.errors.map((e) => [e.line, e.column, e.kind])).toEqual([
      [3, 8, 'Unknown owner'],
      [4, 4, 'Invalid owner'],
    ]);
    expect(data.errors[0]).toMatchObject({
      path: '.github/CODEOWNERS',
      source: '*.yaml @acme/ghosts ops@acme.example',
    });
  });

  it('answers 404 for CODEOWNERS errors when there is no CODEOWNERS file', async () => {
    expect(await statusOf(octokit(emu).rest.repos.codeownersErrors(repo))).toBe(404);
  });

  it('reports branch protection, and 404 for an unprotected branch', async () => {
    const ok = octokit(emu);
    expect(await statusOf(ok.rest.repos.getBranchProtection({ ...repo, branch: 'main' }))).toBe(
      404,
    );
    emu.state.protectBranch(REPO, 'main', {
      requiredApprovingReviewCount: 2,
      requireCodeOwnerReviews: true,
    });
    const { data } = await ok.rest.repos.getBranchProtection({ ...repo, branch: 'main' });
    expectValid('repos/get-branch-protection', data);
    expect(data).toMatchObject({
      required_pull_request_reviews: {
        required_approving_review_count: 2,
        require_code_owner_reviews: true,
      },
      enforce_admins: { enabled: false },
    });
    const noAdmin = octokit(emu, { permissions: { contents: 'read' } });
    expect(
      await statusOf(noAdmin.rest.repos.getBranchProtection({ ...repo, branch: 'main' })),
    ).toBe(403);
  });

  it('lists rulesets and the active rules that apply to a branch', async () => {
    const s = emu.state;
    const pr = {
      type: 'pull_request',
      parameters: {
        required_approving_review_count: 1,
        dismiss_stale_reviews_on_push: true,
        require_code_owner_review: true,
        require_last_push_approval: true,
        required_review_thread_resolution: false,
      },
    };
    const main = s.addRuleset(REPO, { name: 'main', rules: [pr, { type: 'non_fast_forward' }] });
    s.addRuleset(REPO, {
      name: 'release',
      conditions: {
        ref_name: { include: ['refs/heads/release/**'], exclude: ['refs/heads/release/tmp-*'] },
      },
      rules: [{ type: 'deletion' }],
    });
    s.addRuleset(REPO, {
      name: 'trial',
      enforcement: 'evaluate',
      conditions: { ref_name: { include: ['~ALL'], exclude: [] } },
      rules: [{ type: 'creation' }],
    });
    const ok = octokit(emu);
    const list = await ok.rest.repos.getRepoRulesets(repo);
    expectValid('repos/get-repo-rulesets', list.data);
    expect(list.data.map((r) => [r.name, r.enforcement])).toEqual([
      ['main', 'active'],
      ['release', 'active'],
      ['trial', 'evaluate'],
    ]);
    const one = await ok.rest.repos.getRepoRuleset({ ...repo, ruleset_id: main.id });
    expectValid('repos/get-repo-ruleset', one.data);
    expect(one.data.rules).toEqual([pr, { type: 'non_fast_forward' }]);
    const rules = async (branch: string) =>
      (await ok.rest.repos.getBranchRules({ ...repo, branch })).data;
    const onMain = await rules('main');
    expectValid('repos/get-branch-rules', onMain);
    expect(onMain.map((r) => r.type)).toEqual(['pull_request', 'non_fast_forward']);
    expect(onMain[0]).toMatchObject({
      ruleset_id: main.id,
      ruleset_source: REPO,
      ruleset_source_type: 'Repository',
    });
    expect((await rules('release/2026/q1')).map((r) => r.type)).toEqual(['deletion']);
    expect(await rules('release/tmp-1')).toEqual([]);
    expect(await rules('feature')).toEqual([]);
  });

  it('describes an environment with its required reviewers, and 404 when absent', async () => {
    emu.state.addEnvironment(REPO, 'jit-grant', {
      reviewers: [
        { type: 'Team', name: 'acme/platform' },
        { type: 'User', name: 'bob' },
      ],
      preventSelfReview: true,
      branchPolicy: { protectedBranches: true, customBranchPolicies: false },
    });
    const ok = octokit(emu);
    const { data } = await ok.rest.repos.getEnvironment({ ...repo, environment_name: 'jit-grant' });
    expectValid('repos/get-environment', data);
    expect(data.protection_rules?.map((r) => r.type)).toEqual([
      'required_reviewers',
      'branch_policy',
    ]);
    expect(data.protection_rules?.[0]).toMatchObject({
      prevent_self_review: true,
      reviewers: [
        { type: 'Team', reviewer: { slug: 'platform' } },
        { type: 'User', reviewer: { login: 'bob' } },
      ],
    });
    expect(data.deployment_branch_policy).toEqual({
      protected_branches: true,
      custom_branch_policies: false,
    });
    expect(
      await statusOf(ok.rest.repos.getEnvironment({ ...repo, environment_name: 'prod' })),
    ).toBe(404);
  });

  it('reports the default workflow token permissions', async () => {
    const ok = octokit(emu);
    const get = () => ok.rest.actions.getGithubActionsDefaultWorkflowPermissionsRepository(repo);
    expect((await get()).data).toEqual({
      default_workflow_permissions: 'read',
      can_approve_pull_request_reviews: false,
    });
    emu.state.setWorkflowPermissions(REPO, {
      defaultWorkflowPermissions: 'write',
      canApprovePullRequestReviews: true,
    });
    const { data } = await get();
    expectValid('actions/get-github-actions-default-workflow-permissions-repository', data);
    expect(data).toEqual({
      default_workflow_permissions: 'write',
      can_approve_pull_request_reviews: true,
    });
  });
});
