import { ownersOf } from '../github/codeowners.js';
import { decisionLogFindings } from './decision-log.js';
import { REQUEST_WORKFLOW_PATH } from './request-workflow.js';
import type { BranchRules, EnvironmentSettings, Read, RepoSnapshot } from './snapshot.js';

export type Severity = 'error' | 'warning';

export type FindingId =
  | 'repository-unreadable'
  | 'cannot-read'
  | 'codeowners-missing'
  | 'codeowners-errors'
  | 'codeowners-coverage'
  | 'branch-unprotected'
  | 'pull-request-not-required'
  | 'no-required-approvals'
  | 'code-owner-review-not-required'
  | 'stale-reviews-kept'
  | 'last-push-approval-not-required'
  | 'review-bypass'
  | 'force-push-allowed'
  | 'environment-missing'
  | 'environment-any-branch'
  | 'environment-branches-unknown'
  | 'environment-other-branches'
  // The same four for jit-request, when request.yml binds a job to it (decision 031).
  | 'request-environment-missing'
  | 'request-environment-any-branch'
  | 'request-environment-branches-unknown'
  | 'request-environment-other-branches'
  | 'request-workflow-unparsed'
  | 'actions-can-approve'
  | 'workflow-token-write'
  | 'request-check-not-required'
  | 'decision-log-unguarded'
  | 'decision-log-rule-missing'
  | 'decision-log-bypass'
  | 'decision-log-app-cannot-write'
  | 'decision-log-branch-missing'

  // The GitHub App grant and revoke act through (installation.ts).
  | 'app-not-installed'
  | 'app-installation-unreadable'
  | 'app-permission-missing'
  | 'app-permission-broader'
  | 'app-all-repositories'

  // The config's Identity Center block against AWS (`--aws`, identity-center.ts).
  | 'identity-center-unreadable'
  | 'identity-center-instance-missing'
  | 'identity-center-store-mismatch'
  | 'identity-center-user-unknown';

/** Something about the repository that would let a grant through unreviewed, and its remedy. */
export interface Finding {
  id: FindingId;
  severity: Severity;
  message: string;
  fix: string;
}

/** The environment the grant and revoke jobs run in; deploy/jit-access.yaml trusts only it. */
export const GRANT_ENVIRONMENT = 'jit-grant';
/**
 * The environment holding the review App's key and the notification URL (decision 031), which
 * the request job binds; its branch rule is all that keeps a branch's workflow from its secrets.
 */
export const REQUEST_ENVIRONMENT = 'jit-request';

/** An environment doctor judges: its name, its findings' id prefix, what a branch would gain. */
interface GuardedEnvironment {
  name: string;
  idPrefix: '' | 'request-';
  exposes: string;
}

const GRANT: GuardedEnvironment = {
  name: GRANT_ENVIRONMENT,
  idPrefix: '',
  exposes: 'gets its subject, which the broker role trusts',
};
const REQUEST: GuardedEnvironment = {
  name: REQUEST_ENVIRONMENT,
  idPrefix: 'request-',
  exposes: "reads its secrets, the review App's key among them",
};

/**
 * The status check the request workflow's job reports: `.github/workflows/request.yml`'s job
 * `check` has no `name:`, and GitHub names a job's check run after it.
 */
export const REQUEST_CHECK = 'check';

/**
 * Paths whose changes must be reviewed by an owner: request files (a grant), the workflows and
 * CODEOWNERS itself (what reviews and grants), and the organisation config (who may approve).
 */
const OWNED_PATHS = [
  'requests/example.yaml',
  '.github/workflows/grant.yml',
  '.github/CODEOWNERS',
  'jit.config.yaml',
];

/** Every finding for a snapshot, errors first; none means the setup is sound. */
export function checkRepository(s: RepoSnapshot): Finding[] {
  const findings = [
    ...unreadable(s),
    ...codeownersFindings(s),
    ...branchFindings(s),
    ...environmentFindings(GRANT, s.environment, s.defaultBranch),
    ...requestEnvironmentFindings(s),
    ...workflowTokenFindings(s),
    ...decisionLogFindings(s.decisionLog),
  ];
  return [
    ...findings.filter((f) => f.severity === 'error'),
    ...findings.filter((f) => f.severity === 'warning'),
  ];
}

export const hasErrors = (findings: Finding[]): boolean =>
  findings.some((f) => f.severity === 'error');

/** A setting that cannot be read cannot be vouched for. */
function unreadable(s: RepoSnapshot): Finding[] {
  const reads: [string, Read<unknown> | undefined][] = [
    ['the CODEOWNERS file', s.codeowners],
    ['CODEOWNERS errors', s.codeownersErrors],
    [`branch protection of ${s.defaultBranch}`, s.protection],
    [`rulesets of ${s.defaultBranch}`, s.rulesets],
    [`the ${GRANT_ENVIRONMENT} environment`, s.environment],
    [
      `the ${GRANT_ENVIRONMENT} deployment branch policies`,
      s.environment.state === 'ok' ? s.environment.value.customBranches : undefined,
    ],
    [REQUEST_WORKFLOW_PATH, s.requestWorkflow],
    ...requestEnvironmentReads(s),
    ['the Actions workflow permissions', s.workflowToken],
  ];
  return reads.flatMap(([what, read]): Finding[] => {
    if (read?.state === 'forbidden')
      return [
        {
          id: 'cannot-read',
          severity: 'error',
          message: `cannot read ${what}: the token lacks the ${read.permission} permission (${read.message})`,
          fix: `give the token ${read.permission} on this repository (fine-grained token or GitHub App)`,
        },
      ];
    if (read?.state === 'failed')
      return [
        {
          id: 'cannot-read',
          severity: 'error',
          message: `cannot read ${what}: ${read.message}`,
          fix: 'run jit doctor again; check the API URL and GitHub status',
        },
      ];
    return [];
  });
}

function codeownersFindings(s: RepoSnapshot): Finding[] {
  if (s.codeowners.state === 'absent')
    return [
      {
        id: 'codeowners-missing',
        severity: 'error',
        message:
          'no CODEOWNERS file on the default branch: "require code owner review" has nobody to ask',
        fix: 'add .github/CODEOWNERS owning everything (*), with request approvers on /requests/',
      },
    ];
  const findings: Finding[] = [];
  if (s.codeownersErrors.state === 'ok' && s.codeownersErrors.value.length > 0) {
    const lines = s.codeownersErrors.value.map((e) => `line ${e.line}: ${e.kind} in "${e.source}"`);
    findings.push({
      id: 'codeowners-errors',
      severity: 'error',
      // GitHub ignores owners it cannot resolve, so a typo silently unprotects those paths.
      message: `CODEOWNERS has errors; GitHub ignores those owners: ${lines.join('; ')}`,
      fix: 'fix each owner: an existing @user, an @org/team with access to the repository, or an e-mail',
    });
  }
  if (s.codeowners.state === 'ok') {
    const { path, text } = s.codeowners.value;
    const unowned = OWNED_PATHS.filter((p) => ownersOf(text, p).length === 0);
    if (unowned.length > 0)
      findings.push({
        id: 'codeowners-coverage',
        severity: 'error',
        message: `${path} leaves ${unowned.join(', ')} without an owner (the last matching line wins)`,
        fix: 'own everything with a first line "* @org/team" and give /requests/ its approvers; no later line may list no owners',
      });
  }
  return findings;
}

/** Branch protection and rulesets both guard the default branch; either may provide a rule. */
function branchFindings(s: RepoSnapshot): Finding[] {
  const { protection, rulesets, defaultBranch: branch } = s;
  // With one source unreadable, the rules it may hold are unknown: cannot-read says so.
  if (!settled(protection) || !settled(rulesets)) return [];
  const sources: BranchRules[] = [
    ...(protection.state === 'ok' ? [protection.value] : []),
    ...(rulesets.state === 'ok' ? rulesets.value : []),
  ];
  const where = `the default branch ${branch}`;
  if (sources.length === 0)
    return [
      {
        id: 'branch-unprotected',
        severity: 'error',
        message: `${where} has no branch protection and no active ruleset: anyone with write access can push a request straight to it`,
        fix: `add a ruleset targeting the default branch: require a pull request with 1 approval, code owner review, stale review dismissal and last-push approval; block force pushes; no bypass list`,
      },
    ];
  const findings: Finding[] = [];
  if (!sources.some((r) => r.blocksForcePushes))
    findings.push({
      id: 'force-push-allowed',
      severity: 'error',
      message: `force pushes to ${where} are allowed: reviewed history can be rewritten`,
      fix: 'block force pushes (ruleset rule "Block force pushes", or untick "Allow force pushes")',
    });
  if (!sources.some((r) => r.requiredChecks.includes(REQUEST_CHECK)))
    findings.push({
      id: 'request-check-not-required',
      severity: 'error',
      message: `${where} does not require the request check "${REQUEST_CHECK}": a request it refused can still be approved and merged`,
      fix: `require status check "${REQUEST_CHECK}" (source GitHub Actions) in the ruleset, or in branch protection's required status checks`,
    });
  const reviewed = sources.filter((r) => r.pullRequest);
  const rules = sources.flatMap((r) => (r.pullRequest ? [r.pullRequest] : []));
  if (rules.length === 0)
    return [
      {
        id: 'pull-request-not-required',
        severity: 'error',
        message: `${where} does not require a pull request: a request can be pushed without review`,
        fix: 'require a pull request before merging (ruleset or branch protection)',
      },
      ...findings,
    ];
  if (Math.max(...rules.map((r) => r.requiredApprovals)) < 1)
    findings.push({
      id: 'no-required-approvals',
      severity: 'error',
      message: `pull requests into ${where} need 0 approvals`,
      fix: 'require at least 1 approving review',
    });
  if (!rules.some((r) => r.codeOwnerReview))
    findings.push({
      id: 'code-owner-review-not-required',
      severity: 'error',
      message: `pull requests into ${where} do not need a code owner's review: any collaborator's approval merges a request`,
      fix: 'require review from code owners',
    });
  if (!rules.some((r) => r.dismissStaleReviews))
    findings.push({
      id: 'stale-reviews-kept',
      severity: 'error',
      message: `approvals survive new pushes to a pull request into ${where}: an approved request can be changed before merge`,
      fix: 'dismiss stale pull request approvals when new commits are pushed',
    });
  if (!rules.some((r) => r.lastPushApproval))
    findings.push({
      id: 'last-push-approval-not-required',
      severity: 'error',
      message: `the last push to a pull request into ${where} need not be approved by someone else: a reviewer can push and merge their own change`,
      fix: 'require approval of the most recent reviewable push',
    });
  // One unbypassable source of review is enough; every other source's bypass is then moot.
  if (reviewed.every((r) => r.bypassedBy.length > 0))
    findings.push({
      id: 'review-bypass',
      severity: 'error',
      message: `required reviews on ${where} can be bypassed: ${reviewed.map((r) => `${r.source} by ${r.bypassedBy.join(', ')}`).join('; ')}`,
      fix: 'empty the ruleset bypass list, or tick "Do not allow bypassing the above settings" (enforce_admins)',
    });
  return findings;
}

/** Only when request.yml binds jit-request is that environment read, and so judged. */
function requestEnvironmentReads(s: RepoSnapshot): [string, Read<unknown> | undefined][] {
  if (s.requestWorkflow.state !== 'ok' || s.requestWorkflow.value.use !== 'binds') return [];
  const { environment } = s.requestWorkflow.value;
  return [
    [`the ${REQUEST_ENVIRONMENT} environment`, environment],
    [
      `the ${REQUEST_ENVIRONMENT} deployment branch policies`,
      environment.state === 'ok' ? environment.value.customBranches : undefined,
    ],
  ];
}

function requestEnvironmentFindings(s: RepoSnapshot): Finding[] {
  if (s.requestWorkflow.state !== 'ok') return [];
  const workflow = s.requestWorkflow.value;
  if (workflow.use === 'binds')
    return environmentFindings(REQUEST, workflow.environment, s.defaultBranch);
  if (workflow.use === 'unknown')
    return [
      {
        id: 'request-workflow-unparsed',
        severity: 'warning',
        message: `cannot tell whether ${REQUEST_WORKFLOW_PATH} runs in the ${REQUEST_ENVIRONMENT} environment: ${workflow.message}`,
        fix: `if a job there says "environment: ${REQUEST_ENVIRONMENT}", check that environment deploys from ${s.defaultBranch} only`,
      },
    ];
  return [];
}

const settled = (read: Read<unknown>): boolean => read.state === 'ok' || read.state === 'absent';

/**
 * An environment's deployment branches: the default branch only, the one branch the broker
 * and runbook roles trust (deploy/*.yaml's GitHubDefaultBranch, as `jit init` writes it).
 */
function environmentFindings(
  { name, idPrefix, exposes }: GuardedEnvironment,
  environment: Read<EnvironmentSettings>,
  trustedBranch: string,
): Finding[] {
  const fix = `in the ${name} environment, set deployment branches to "Selected branches" with only ${trustedBranch}`;
  if (environment.state === 'absent')
    return [
      {
        id: `${idPrefix}environment-missing`,
        severity: 'error',
        message: `the ${name} environment does not exist: GitHub creates it on first use with every branch allowed`,
        fix: `create the ${name} environment; ${fix}`,
      },
    ];
  if (environment.state !== 'ok') return [];
  const { branchPolicy, customBranches } = environment.value;
  if (!branchPolicy)
    return [
      {
        id: `${idPrefix}environment-any-branch`,
        severity: 'error',
        message: `any branch can deploy to ${name}: a workflow on a branch ${exposes}`,
        fix,
      },
    ];
  if (!branchPolicy.customBranchPolicies) return [];
  if (customBranches?.state === 'absent')
    return [
      {
        id: `${idPrefix}environment-branches-unknown`,
        severity: 'warning',
        message: `the ${name} environment's custom deployment branch policies could not be listed`,
        fix: `check in the ${name} environment's settings that ${trustedBranch} is the only deployment branch`,
      },
    ];
  if (customBranches?.state !== 'ok') return [];
  const others = customBranches.value.filter(
    (b) => b.type !== 'branch' || b.name !== trustedBranch,
  );
  if (others.length === 0 && customBranches.value.length > 0) return [];
  return [
    {
      id: `${idPrefix}environment-other-branches`,
      severity: 'error',
      message:
        others.length > 0
          ? `${name} also deploys from ${others.map((b) => `${b.type} ${b.name}`).join(', ')}`
          : `${name} has custom deployment branches but names none`,
      fix,
    },
  ];
}

function workflowTokenFindings(s: RepoSnapshot): Finding[] {
  if (s.workflowToken.state !== 'ok') return [];
  const { canApprovePullRequests, defaultPermissions } = s.workflowToken.value;
  const findings: Finding[] = [];
  if (canApprovePullRequests)
    findings.push({
      id: 'actions-can-approve',
      severity: 'error',
      message:
        'GitHub Actions may approve pull requests: a workflow can supply the approval a grant needs',
      fix: 'Settings → Actions → General: untick "Allow GitHub Actions to create and approve pull requests"',
    });
  if (defaultPermissions === 'write')
    findings.push({
      id: 'workflow-token-write',
      severity: 'warning',
      message: 'workflows get a read-write GITHUB_TOKEN by default',
      fix: 'Settings → Actions → General: workflow permissions "Read repository contents and packages permissions"',
    });
  return findings;
}

/** When the repository itself cannot be read there is nothing to judge: one error says why. */
export const repositoryUnreadable = (message: string): Finding => ({
  id: 'repository-unreadable',
  severity: 'error',
  message,
  fix: 'check --repo and --api-url, and that GITHUB_TOKEN can read the repository',
});
