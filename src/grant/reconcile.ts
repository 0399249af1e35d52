import type { IAMClient } from '@aws-sdk/client-iam';
import type { Octokit } from '@octokit/rest';
import type { Account, GrantWindow, JitConfig } from '../domain.js';
import type { Problem } from '../problem.js';
import { applyGrant } from '../aws/iam-grant.js';
import { messageOf } from '../aws/errors.js';
import { addsRequest, requestIdOf } from '../github/changed-requests.js';
import { codeOwnersOf } from '../github/codeowners.js';
import { checkPrShape, judgeEligibility } from '../github/eligibility.js';
import { fetchPrFacts, type PrFacts } from '../github/pr-facts.js';
import { listChangedFiles, readFileAt, type RepoRef } from '../github/pull-request.js';
import type { IssueComment } from '../github/sticky-comment.js';
import { TeamMemberships } from '../github/teams.js';
import { planRequest, type Plan } from '../plan/plan.js';
import { recentMergedPulls } from './candidates.js';
import { hasFinalState, recordedState } from './state.js';

/** What one run decided for one request; the adapter comments and reports each. */
export type GrantDecision =
  | {
      kind: 'granted';
      pr: number;
      requestId: string;
      plan: Plan;
      policyArn: string;
      /** False when an earlier run had already created (or attached) it: converged. */
      created: boolean;
    }
  | { kind: 'refused'; pr: number; requestId?: string; file?: string; problems: Problem[] }
  | { kind: 'expired'; pr: number; requestId: string; window: GrantWindow };

export interface GrantRun {
  octokit: Octokit;
  repo: RepoRef;
  defaultBranch: string;
  /** The config on the default branch now: a request must still be valid under today's rules. */
  config: JitConfig;
  now: Date;
  /** Login the action comments as: only its comments record state. */
  commentAuthor: string;
  /** IAM for an account, with the broker role's credentials (OIDC → STS in the action). */
  iamFor: (account: Account) => Promise<IAMClient>;
}

/**
 * One reconciling pass: every merged request PR in the lookback window that is neither granted,
 * revoked nor expired is judged again from scratch and, if everything holds, granted.
 */
export async function reconcileGrants(run: GrantRun): Promise<GrantDecision[]> {
  const teams = new TeamMemberships(run.octokit);
  const decisions: GrantDecision[] = [];
  for (const number of await recentMergedPulls(run.octokit, run.repo, run.defaultBranch, run.now)) {
    // Every run re-reads the whole lookback, so the cheap questions come first: a merged PR that
    // adds no request (ordinary work, or removing old request files) is not ours to judge, and
    // one whose request is already granted, revoked or expired is done. Either costs one or two
    // GitHub calls; a PR still to judge reuses the files already listed.
    const files = await listChangedFiles(run.octokit, run.repo, number);
    if (!files.some(addsRequest)) continue;
    const comments = await run.octokit.paginate(run.octokit.rest.issues.listComments, {
      ...run.repo,
      issue_number: number,
      per_page: 100,
    });
    if (hasFinalState(comments, run.commentAuthor)) continue;
    // One that adds a request and also changes anything else is refused below.
    const facts = await fetchPrFacts(run.octokit, run.repo, number, files);
    const decision = await judge(run, teams, facts, comments);
    if (decision) decisions.push(decision);
  }
  return decisions;
}

async function judge(
  run: GrantRun,
  teams: TeamMemberships,
  facts: PrFacts,
  comments: IssueComment[],
): Promise<GrantDecision | undefined> {
  const pr = facts.number;
  const added = facts.files.filter(addsRequest);
  const file = added.length === 1 ? added[0]!.filename : undefined;
  const requestId = file === undefined ? undefined : requestIdOf(file);
  if (requestId) {
    const state = recordedState(comments, requestId, run.commentAuthor);
    if (state === 'granted' || state === 'revoked' || state === 'expired') return undefined;
  }
  if (!file || !facts.mergeCommitSha || !facts.mergedAt) {
    return {
      kind: 'refused',
      pr,
      problems: checkPrShape(facts, { defaultBranch: run.defaultBranch }),
    };
  }

  // The request as merged: never the PR title, body or labels, which can change after approval.
  const text = await readFileAt(run.octokit, run.repo, file, facts.mergeCommitSha);
  if (text === undefined) {
    return {
      kind: 'refused',
      pr,
      requestId,
      file,
      problems: [problem(`${file} is not in the merge commit`)],
    };
  }
  const mergedAt = new Date(facts.mergedAt);
  const plan = planRequest({ text, file, config: run.config, now: mergedAt, pr });
  if (!plan.ok) return { kind: 'refused', pr, requestId, file, problems: plan.problems };
  if (plan.value.window.expiry.getTime() <= run.now.getTime()) {
    return { kind: 'expired', pr, requestId: plan.value.request.id, window: plan.value.window };
  }

  // "Any code owner" means the owners CODEOWNERS names for the request file on the default
  // branch, not anyone with write access; a rule that resolves to nobody grants nothing.
  const rule =
    plan.value.approvals.approvers.length > 0
      ? plan.value.approvals
      : {
          ...plan.value.approvals,
          approvers: await codeOwnersOf(
            (path) => readFileAt(run.octokit, run.repo, path, run.defaultBranch),
            file,
          ),
        };
  if (rule.approvers.length === 0) {
    const why = `no approvers are configured for this request and CODEOWNERS names none for ${file}: nobody can approve it`;
    return { kind: 'refused', pr, requestId, file, problems: [problem(why)] };
  }
  // Approvals are judged as they stood at the merge (evaluateApprovals ignores later reviews).
  const isMember = await teams.oracle(
    rule.approvers,
    facts.reviews.flatMap((r) => (r.login ? [r.login] : [])),
  );
  const eligibility = judgeEligibility(facts, {
    defaultBranch: run.defaultBranch,
    requestPath: file,
    requester: plan.value.request.requester,
    rule,
    isMember,
  });
  if (eligibility.problems.length > 0) {
    return { kind: 'refused', pr, requestId, file, problems: eligibility.problems };
  }

  try {
    const iam = await run.iamFor(plan.value.resolved.account);
    const { policy, resolved } = plan.value;
    const outcome = await applyGrant(iam, {
      accountId: resolved.account.id,
      principalArn: resolved.principalArn,
      name: policy.name,
      path: policy.path,
      description: policy.description,
      document: policy.json,
      tags: policy.tags,
    });
    const id = plan.value.request.id;
    if (!outcome.ok)
      return { kind: 'refused', pr, requestId: id, file, problems: [problem(outcome.reason)] };
    return {
      kind: 'granted',
      pr,
      requestId: id,
      plan: plan.value,
      policyArn: outcome.policyArn,
      created: outcome.created,
    };
  } catch (e) {
    return { kind: 'refused', pr, requestId, file, problems: [problem(`AWS: ${messageOf(e)}`)] };
  }
}

const problem = (message: string): Problem => ({ path: '', severity: 'error', message });
