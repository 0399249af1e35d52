import type { Octokit } from '@octokit/rest';
import { code } from '../report/escape.js';
import type { RepoRef } from './pull-request.js';

/**
 * Asking a profile's approvers for review on the request PR (decision 031). Only POST: a reviewer
 * a person added, or removed, is never touched. A failure is a value reported beside the verdict,
 * never a failed check: the approvers can still be asked by hand.
 */

export interface ReviewRequestFailure {
  /** A login or `org/team`, as the config names it. */
  reviewer: string;
  /** GitHub's answer, or why it was not asked. */
  message: string;
}

export interface ReviewRequests {
  /** Asked by this run. */
  requested: string[];
  /** Already asked, or already reviewed this head: not asked again. */
  skipped: string[];
  failed: ReviewRequestFailure[];
}

/** What is known of the PR when deciding whom to ask. */
export interface ReviewState {
  /** The PR's author: GitHub refuses to ask them. */
  author: string;
  /** The request's requester: their approval never counts, so asking them is noise. */
  requester: string;
  /** The repository's owner: a team of another organisation cannot be asked. */
  org: string;
  requestedUsers: string[];
  /** `org/team`. */
  requestedTeams: string[];
  /** Logins that reviewed the head commit already. */
  reviewedHead: string[];
}

/**
 * Each approver once, in the config's order: minus the author and the requester, minus whoever
 * is already asked or has reviewed this head; a team of another organisation is a failure.
 */
export function reviewersToAsk(
  approvers: readonly string[],
  s: ReviewState,
): { ask: string[]; skipped: string[]; failed: ReviewRequestFailure[] } {
  const lower = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()));
  const excluded = lower([s.author, s.requester]);
  const done = lower([...s.requestedUsers, ...s.requestedTeams, ...s.reviewedHead]);
  const out = {
    ask: [] as string[],
    skipped: [] as string[],
    failed: [] as ReviewRequestFailure[],
  };
  const seen = new Set<string>();
  for (const approver of approvers) {
    const id = approver.toLowerCase();
    if (seen.has(id) || excluded.has(id)) continue;
    seen.add(id);
    const org = approver.includes('/') ? approver.split('/')[0] : undefined;
    if (org !== undefined && org.toLowerCase() !== s.org.toLowerCase())
      out.failed.push({
        reviewer: approver,
        message: `a team of another organisation than ${s.org} cannot be asked for review`,
      });
    else if (done.has(id)) out.skipped.push(approver);
    else out.ask.push(approver);
  }
  return out;
}

/**
 * Asks the approvers not yet asked on the PR, one request each so one GitHub refuses (a team not
 * added to the repository) does not drop the others. Reads the PR and its reviews first, so a
 * re-run asks nobody twice and a reviewer who already reviewed this head is left alone.
 */
export async function requestApproverReviews(input: {
  octokit: Octokit;
  repo: RepoRef;
  pullNumber: number;
  headSha: string;
  approvers: readonly string[];
  requester: string;
}): Promise<ReviewRequests> {
  const { octokit, repo, pullNumber } = input;
  const base = { ...repo, pull_number: pullNumber };
  let plan: ReturnType<typeof reviewersToAsk>;
  try {
    const { data: pr } = await octokit.rest.pulls.get(base);
    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
      ...base,
      per_page: 100,
    });
    plan = reviewersToAsk(input.approvers, {
      author: pr.user.login,
      requester: input.requester,
      org: repo.owner,
      requestedUsers: (pr.requested_reviewers ?? []).map((u) => u.login),
      requestedTeams: (pr.requested_teams ?? []).map((t) => `${repo.owner}/${t.slug}`),
      reviewedHead: reviews.flatMap((r) =>
        r.commit_id === input.headSha && r.user ? [r.user.login] : [],
      ),
    });
  } catch (e) {
    const message = `the pull request could not be read: ${errorMessage(e)}`;
    return {
      requested: [],
      skipped: [],
      failed: input.approvers.map((reviewer) => ({ reviewer, message })),
    };
  }
  const result: ReviewRequests = { requested: [], skipped: plan.skipped, failed: plan.failed };
  for (const reviewer of plan.ask) {
    const slug = reviewer.includes('/') ? reviewer.split('/')[1] : undefined;
    try {
      await octokit.rest.pulls.requestReviewers({
        ...base,
        ...(slug === undefined ? { reviewers: [reviewer] } : { team_reviewers: [slug] }),
      });
      result.requested.push(reviewer);
    } catch (e) {
      result.failed.push({ reviewer, message: errorMessage(e) });
    }
  }
  return result;
}

/** GitHub's message with its `errors`, which say which node it could not resolve. */
function errorMessage(e: unknown): string {
  const data = (e as { response?: { data?: { message?: unknown; errors?: unknown } } }).response
    ?.data;
  const errors = Array.isArray(data?.errors)
    ? data.errors.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))
    : [];
  const message = typeof data?.message === 'string' ? data.message : (e as Error).message;
  return [message, ...errors].join(' ');
}

const TEAM_HINT =
  'asking a team needs a token that can read the organisation\'s teams: the jit-access-review App (README, "Review requests")';

/** The job summary's lines about review requests; every name and message as a code span. */
export function renderReviewRequests(r: ReviewRequests): string {
  const list = (xs: string[]) => xs.map((x) => code(x)).join(', ');
  const lines = ['### Review requests', ''];
  if (r.requested.length > 0) lines.push(`- Asked for review: ${list(r.requested)}`);
  if (r.skipped.length > 0) lines.push(`- Already asked or reviewed: ${list(r.skipped)}`);
  for (const f of r.failed)
    lines.push(`- Not asked: ${code(f.reviewer)}: ${code(f.message, { max: 300 })}`);
  if (r.failed.some((f) => /resolve to a node/.test(f.message))) lines.push(`- ${TEAM_HINT}`);
  if (lines.length === 2) lines.push('- Nobody to ask: no approver other than the requester.');
  return lines.join('\n') + '\n';
}
