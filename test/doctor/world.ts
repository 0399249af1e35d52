import { Octokit } from '@octokit/rest';
import type { TokenInit } from '../../emulators/github/auth.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.js';
import type { Ruleset } from '../../emulators/github/settings.js';
import { checkRepository, type Finding } from '../../src/doctor/checks.js';
import { fetchSnapshot } from '../../src/doctor/fetch.js';
import { requestWorkflow } from '../../src/init/templates/workflows.js';

export const REPO = 'acme/access';
export const CODEOWNERS = `# The last matching pattern wins.
* @acme/platform-security
/requests/ @acme/platform-security @acme/access-approvers
/.github/ @acme/platform-security
/jit.config.yaml @acme/platform-security
`;

/** The request workflow as `jit init` writes it: its job binds the jit-request environment. */
export const REQUEST_WORKFLOW = requestWorkflow({
  defaultBranch: 'main',
  action: (name) => `acme/jit-access/actions/${name}@v1`,
  cli: 'npx --yes jit-access@1.0.0',
});

/** The pull request rule of a sound ruleset; tests weaken one parameter at a time. */
export const PULL_REQUEST_RULE = {
  type: 'pull_request',
  parameters: {
    required_approving_review_count: 1,
    dismiss_stale_reviews_on_push: true,
    require_code_owner_review: true,
    require_last_push_approval: true,
    required_review_thread_resolution: false,
  },
};

/** The request workflow's job, required as a status check (the GitHub Actions app, 15368). */
export const REQUEST_CHECK_RULE = {
  type: 'required_status_checks',
  parameters: {
    strict_required_status_checks_policy: false,
    required_status_checks: [{ context: 'check', integration_id: 15368 }],
  },
};

/** A ruleset on the default branch as the README tells a user to create it. */
export const SOUND_RULESET: Partial<Omit<Ruleset, 'id' | 'createdAt'>> & { name: string } = {
  name: 'protect main',
  rules: [
    PULL_REQUEST_RULE,
    REQUEST_CHECK_RULE,
    { type: 'non_fast_forward' },
    { type: 'deletion' },
  ],
  bypass_actors: [],
};

/** The jit-access GitHub App's id in the emulated world. */
export const JIT_APP_ID = 4242;

/** The decision log's ruleset as the README tells a user to create it: only the App bypasses. */
export const LOG_RULESET: Partial<Omit<Ruleset, 'id' | 'createdAt'>> & { name: string } = {
  name: 'decision log',
  conditions: { ref_name: { include: ['refs/heads/jit-log'], exclude: [] } },
  rules: [
    { type: 'creation' },
    { type: 'update' },
    { type: 'deletion' },
    { type: 'non_fast_forward' },
  ],
  bypass_actors: [{ actor_id: JIT_APP_ID, actor_type: 'Integration', bypass_mode: 'always' }],
};

/**
 * The token doctor needs: read access to contents, administration and actions. A fine-grained
 * personal access token, as doctor.yml's JIT_DOCTOR_TOKEN (GITHUB_TOKEN cannot read settings).
 */
export const DOCTOR_TOKEN: TokenInit = {
  kind: 'user',
  login: 'octo-admin',
  permissions: { contents: 'read', administration: 'read', actions: 'read' },
};

/**
 * An access repository set up correctly: CODEOWNERS owning everything, a ruleset on main that
 * also requires the request check, `jit init`'s request workflow, the jit-grant and jit-request
 * environments deploying from protected branches only (the default branch is the protected one),
 * Actions unable to approve, and the decision log branch guarded for the App alone.
 */
export async function soundRepository(
  opts: { ruleset?: boolean; clock?: () => Date } = {},
): Promise<GitHubEmulator> {
  const gh = await startGitHubEmulator({
    clock: opts.clock ?? (() => new Date('2026-11-25T09:00:00Z')),
  });
  const s = gh.state;
  s.addTeam('acme/platform-security');
  s.addTeam('acme/access-approvers');
  s.addRepo(REPO, {
    files: {
      '.github/CODEOWNERS': CODEOWNERS,
      'jit.config.yaml': 'version: 1\n',
      'requests/README.md': '# Requests\n',
      '.github/workflows/request.yml': REQUEST_WORKFLOW,
    },
  });
  if (opts.ruleset !== false) s.addRuleset(REPO, SOUND_RULESET);
  s.addRuleset(REPO, LOG_RULESET);
  s.commitToBranch(REPO, 'main', { 'README.md': '# access\n' });
  s.addBranch(REPO, 'jit-log');
  for (const environment of ['jit-grant', 'jit-request'])
    s.addEnvironment(REPO, environment, {
      branchPolicy: { protectedBranches: true, customBranchPolicies: false },
    });
  s.setWorkflowPermissions(REPO, {
    defaultWorkflowPermissions: 'read',
    canApprovePullRequestReviews: false,
  });
  return gh;
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * What doctor finds, read over HTTP with a real Octokit as the CLI does; `requested` collects
 * each request's URL (with the environment name filled in), to tell what was read.
 */
export async function diagnose(
  gh: GitHubEmulator,
  token: TokenInit = DOCTOR_TOKEN,
  requested: string[] = [],
): Promise<Finding[]> {
  const octokit = new Octokit({ baseUrl: gh.url, auth: gh.tokens.create(token), log: quiet });
  octokit.hook.before('request', (options) => {
    const params = options as unknown as Record<string, unknown>;
    requested.push(options.url.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name])));
  });
  const fetched = await fetchSnapshot(octokit, { owner: 'acme', repo: 'access' });
  if (!fetched.ok) throw new Error(fetched.message);
  return checkRepository(fetched.snapshot);
}

export const ids = (findings: Finding[]): string[] => findings.map((f) => f.id);
