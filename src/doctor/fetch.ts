import type { Octokit } from '@octokit/rest';
import { CODEOWNERS_LOCATIONS } from '../github/codeowners.js';
import { hasStatus } from '../github/status.js';
import type { RepoRef } from '../github/pull-request.js';
import { GRANT_ENVIRONMENT, REQUEST_ENVIRONMENT } from './checks.js';
import { readDecisionLog } from './decision-log.js';
import { REQUEST_WORKFLOW_PATH, bindsEnvironment } from './request-workflow.js';
import type {
  BranchRules,
  CodeownersError,
  CodeownersFile,
  DeploymentBranch,
  EnvironmentSettings,
  Read,
  RepoSnapshot,
  RequestWorkflow,
  WorkflowTokenSettings,
} from './snapshot.js';

/** Where GitHub looks for CODEOWNERS, in order; the first one found is the one used. */
/**
 * Reads everything the checks judge. Only the repository itself must be readable; each setting
 * after it is read on its own, so one the token cannot see becomes a value, not a failure.
 */
export async function fetchSnapshot(
  octokit: Octokit,
  ref: RepoRef,
): Promise<{ ok: true; snapshot: RepoSnapshot } | { ok: false; message: string }> {
  const repo = await read(
    'metadata: read',
    async () => (await octokit.rest.repos.get({ ...ref })).data,
  );
  if (repo.state !== 'ok')
    return {
      ok: false,
      message:
        repo.state === 'absent'
          ? `repository ${ref.owner}/${ref.repo} not found, or the token cannot see it`
          : `cannot read repository ${ref.owner}/${ref.repo}: ${repo.message}`,
    };
  const branch = repo.value.default_branch;
  // Never rejects: each of its reads becomes a value, as below.
  const decisionLog = readDecisionLog(octokit, ref, branch, read);
  const [
    codeowners,
    codeownersErrors,
    protection,
    rulesets,
    environment,
    requestWorkflow,
    workflowToken,
  ] = await Promise.all([
    readCodeowners(octokit, ref),
    read('contents: read', async () =>
      (await octokit.rest.repos.codeownersErrors({ ...ref })).data.errors.map(
        (e): CodeownersError => ({
          line: e.line,
          column: e.column,
          kind: e.kind,
          source: e.source ?? '',
        }),
      ),
    ),
    read('administration: read', () => readProtection(octokit, ref, branch)),
    read('metadata: read', () => readRulesets(octokit, ref, branch)),
    read('actions: read', () => readEnvironment(octokit, ref, GRANT_ENVIRONMENT)),
    readRequestWorkflow(octokit, ref),
    read('administration: read', async (): Promise<WorkflowTokenSettings> => {
      const { data } =
        await octokit.rest.actions.getGithubActionsDefaultWorkflowPermissionsRepository({
          ...ref,
        });
      return {
        defaultPermissions: data.default_workflow_permissions,
        canApprovePullRequests: data.can_approve_pull_request_reviews,
      };
    }),
  ]);
  return {
    ok: true,
    snapshot: {
      repository: repo.value.full_name,
      defaultBranch: branch,
      codeowners,
      codeownersErrors,
      protection,
      rulesets,
      environment,
      requestWorkflow,
      workflowToken,
      decisionLog: await decisionLog,
    },
  };
}

/** 404 is "not configured", 403 "the token may not look"; both are answers, not crashes. */
async function read<T>(permission: string, call: () => Promise<T>): Promise<Read<T>> {
  try {
    return { state: 'ok', value: await call() };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (hasStatus(e, 404)) return { state: 'absent' };
    if (hasStatus(e, 403)) return { state: 'forbidden', permission, message };
    return { state: 'failed', message };
  }
}

/** The request workflow on the default branch; its environment is read only when a job binds it. */
async function readRequestWorkflow(octokit: Octokit, ref: RepoRef): Promise<Read<RequestWorkflow>> {
  const text = await read('contents: read', () => readText(octokit, ref, REQUEST_WORKFLOW_PATH));
  if (text.state !== 'ok') return text;
  const use = bindsEnvironment(text.value, REQUEST_ENVIRONMENT);
  if (!use.ok) return { state: 'ok', value: { use: 'unknown', message: use.message } };
  if (!use.binds) return { state: 'ok', value: { use: 'none' } };
  const environment = await read('actions: read', () =>
    readEnvironment(octokit, ref, REQUEST_ENVIRONMENT),
  );
  return { state: 'ok', value: { use: 'binds', environment } };
}

/** A file's text on the default branch; a directory or symlink at `path` counts as absent. */
async function readText(octokit: Octokit, ref: RepoRef, path: string): Promise<string> {
  const { data } = await octokit.rest.repos.getContent({ ...ref, path });
  if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
    throw Object.assign(new Error(`${path} is not a file`), { status: 404 });
  return Buffer.from(data.content, 'base64').toString('utf8');
}

async function readCodeowners(octokit: Octokit, ref: RepoRef): Promise<Read<CodeownersFile>> {
  for (const path of CODEOWNERS_LOCATIONS) {
    const file = await read('contents: read', async (): Promise<CodeownersFile> => ({
      path,
      text: await readText(octokit, ref, path),
    }));
    if (file.state !== 'absent') return file;
  }
  return { state: 'absent' };
}

async function readProtection(
  octokit: Octokit,
  ref: RepoRef,
  branch: string,
): Promise<BranchRules> {
  const { data: p } = await octokit.rest.repos.getBranchProtection({ ...ref, branch });
  const reviews = p.required_pull_request_reviews;
  return {
    source: 'branch protection',
    ...(reviews && {
      pullRequest: {
        requiredApprovals: reviews.required_approving_review_count ?? 0,
        codeOwnerReview: reviews.require_code_owner_reviews,
        dismissStaleReviews: reviews.dismiss_stale_reviews,
        lastPushApproval: reviews.require_last_push_approval ?? false,
      },
    }),
    blocksForcePushes: !p.allow_force_pushes?.enabled,
    requiredChecks: [
      ...new Set([
        ...(p.required_status_checks?.contexts ?? []),
        ...(p.required_status_checks?.checks ?? []).map((c) => c.context),
      ]),
    ],
    bypassedBy: p.enforce_admins?.enabled ? [] : ['repository administrators'],
  };
}

/** The active rules on the branch, grouped back into the rulesets they come from. */
async function readRulesets(
  octokit: Octokit,
  ref: RepoRef,
  branch: string,
): Promise<BranchRules[]> {
  const rules = await octokit.paginate(octokit.rest.repos.getBranchRules, {
    ...ref,
    branch,
    per_page: 100,
  });
  const ids = [...new Set(rules.map((r) => r.ruleset_id).filter((id) => id !== undefined))];
  return Promise.all(
    ids.map(async (id): Promise<BranchRules> => {
      const { data: ruleset } = await octokit.rest.repos.getRepoRuleset({ ...ref, ruleset_id: id });
      const own = rules.filter((r) => r.ruleset_id === id);
      const pr = own.find((r) => r.type === 'pull_request');
      const params = (pr && 'parameters' in pr ? pr.parameters : undefined) as
        Record<string, unknown> | undefined;
      return {
        source: `ruleset "${ruleset.name}"`,
        ...(pr && {
          pullRequest: {
            requiredApprovals: Number(params?.required_approving_review_count ?? 0),
            codeOwnerReview: params?.require_code_owner_review === true,
            dismissStaleReviews: params?.dismiss_stale_reviews_on_push === true,
            lastPushApproval: params?.require_last_push_approval === true,
          },
        }),
        blocksForcePushes: own.some((r) => r.type === 'non_fast_forward'),
        requiredChecks: own.flatMap((r) =>
          r.type === 'required_status_checks' && 'parameters' in r && r.parameters
            ? r.parameters.required_status_checks.map((c) => c.context)
            : [],
        ),
        bypassedBy: (ruleset.bypass_actors ?? []).map(
          (a) =>
            `${a.actor_type}${a.actor_id == null ? '' : ` ${a.actor_id}`} (${a.bypass_mode ?? 'always'})`,
        ),
      };
    }),
  );
}

async function readEnvironment(
  octokit: Octokit,
  ref: RepoRef,
  environment_name: string,
): Promise<EnvironmentSettings> {
  const { data } = await octokit.rest.repos.getEnvironment({ ...ref, environment_name });
  const policy = data.deployment_branch_policy;
  if (!policy) return { branchPolicy: null };
  const branchPolicy = {
    protectedBranches: policy.protected_branches,
    customBranchPolicies: policy.custom_branch_policies,
  };
  if (!branchPolicy.customBranchPolicies) return { branchPolicy };
  const customBranches = await read('actions: read', async () => {
    const { data: list } = await octokit.rest.repos.listDeploymentBranchPolicies({
      ...ref,
      environment_name,
      per_page: 100,
    });
    return list.branch_policies.map((b): DeploymentBranch => ({
      name: b.name ?? '',
      type: b.type === 'tag' ? 'tag' : 'branch',
    }));
  });
  return { branchPolicy, customBranches };
}
