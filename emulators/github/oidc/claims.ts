import { randomUUID } from 'node:crypto';
import { rulesetTargets } from '../settings.js';
import type { GitHubState, Repo } from '../state.js';

/**
 * The workflow run a token is minted for: which repository, event, ref and environment. Tests
 * choose it; the claims follow from it exactly as GitHub derives them.
 */
export interface RunContext {
  /** `owner/name`; must exist in the emulator state (its ids go into the token). */
  repository: string;
  /** `pull_request_target`, `push`, `schedule`, `workflow_dispatch`, ... */
  eventName: string;
  /** Full ref; defaults to the default branch (the base branch for pull_request_target). */
  ref?: string;
  /** Defaults to the head of `ref`. */
  sha?: string;
  /** Set when the job declares `environment:`; it then names the subject. */
  environment?: string;
  /** Workflow name (`name:` in the file). */
  workflow?: string;
  /** Workflow file, e.g. `.github/workflows/grant.yml`. */
  workflowPath?: string;
  /** Reusable workflow the job runs, `owner/repo/path@ref`; defaults to the workflow itself. */
  jobWorkflowRef?: string;
  actor?: string;
  headRef?: string;
  baseRef?: string;
  runId?: number;
  runNumber?: number;
  runAttempt?: number;
  /** Raw overrides, applied last: for tests of a verifier against odd or hostile claims. */
  claims?: Record<string, unknown>;
}

/** Standard JWT lifetimes as GitHub issues them: valid from 10 minutes ago for 5 minutes. */
const NOT_BEFORE_SKEW_S = 600;
const LIFETIME_S = 300;

/** The default subject template: environment, else pull_request, else the ref. */
function subjectFor(state: GitHubState, ctx: RunContext, ref: string): string {
  const r = state.repo(ctx.repository);
  const repo = r.immutableOidcSubject
    ? `repo:${r.owner}@${state.user(r.owner).id}/${r.name}@${r.id}`
    : `repo:${r.owner}/${r.name}`;
  if (ctx.environment) return `${repo}:environment:${ctx.environment}`;
  if (ctx.eventName === 'pull_request') return `${repo}:pull_request`;
  return `${repo}:ref:${ref}`;
}

/** Every claim of a GitHub Actions ID token; ids and numbers are strings, as GitHub sends them. */
export function claimsFor(
  state: GitHubState,
  ctx: RunContext,
  issuer: string,
  audience: string | undefined,
  now: Date,
): Record<string, unknown> {
  const repo = state.repo(ctx.repository);
  const owner = state.user(repo.owner);
  const actor = state.user(ctx.actor ?? repo.owner);
  const ref = ctx.ref ?? `refs/heads/${repo.defaultBranch}`;
  const sha = ctx.sha ?? state.resolveRef(ctx.repository, ref).sha;
  const workflowPath = ctx.workflowPath ?? '.github/workflows/jit.yml';
  const workflowRef = `${repo.owner}/${repo.name}/${workflowPath}@${ref}`;
  const iat = Math.floor(now.getTime() / 1000);
  const runId = ctx.runId ?? 1;
  return {
    jti: randomUUID(),
    sub: subjectFor(state, ctx, ref),
    aud: audience ?? `https://github.com/${repo.owner}`,
    ref,
    sha,
    repository: `${repo.owner}/${repo.name}`,
    repository_owner: repo.owner,
    repository_owner_id: String(owner.id),
    run_id: String(runId),
    run_number: String(ctx.runNumber ?? runId),
    run_attempt: String(ctx.runAttempt ?? 1),
    repository_visibility: repo.private ? 'private' : 'public',
    repository_id: String(repo.id),
    actor_id: String(actor.id),
    actor: actor.login,
    workflow: ctx.workflow ?? 'jit',
    head_ref: ctx.headRef ?? '',
    base_ref: ctx.baseRef ?? '',
    event_name: ctx.eventName,
    ref_protected: String(isProtected(repo, ref)),
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    job_workflow_ref: ctx.jobWorkflowRef ?? workflowRef,
    job_workflow_sha: sha,
    runner_environment: 'github-hosted',
    ...(ctx.environment ? { environment: ctx.environment } : {}),
    iss: issuer,
    nbf: iat - NOT_BEFORE_SKEW_S,
    exp: iat + LIFETIME_S,
    iat,
    ...ctx.claims,
  };
}

/** A branch is protected by a branch protection rule or an active ruleset that targets it. */
function isProtected(repo: Repo, ref: string): boolean {
  if (!ref.startsWith('refs/heads/')) return false;
  const branch = ref.slice('refs/heads/'.length);
  return (
    repo.settings.protections.has(branch) ||
    repo.settings.rulesets.some(
      (r) => r.enforcement === 'active' && rulesetTargets(r, branch, repo.defaultBranch),
    )
  );
}
