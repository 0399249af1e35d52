import type { Octokit } from '@octokit/rest';
import type { JitConfig } from '../../../src/domain.js';
import type { RepoRef } from '../../../src/github/pull-request.js';
import {
  requestApproverReviews,
  type ReviewRequests,
} from '../../../src/github/review-requests.js';
import { upsertStickyComment } from '../../../src/github/sticky-comment.js';
import { tell, type Notify } from '../../../src/notify/event.js';
import { openedEvent } from '../../../src/notify/opened.js';
import type { CloudTrailReports } from '../../../src/plan/cloudtrail-activity.js';
import { checkPullRequest, type PullRequestCheck } from '../../../src/plan/pull-request.js';
import { fitComment } from '../../../src/report/fit.js';
import {
  renderRequestComment,
  type Activity,
  type FileOutcome,
} from '../../../src/report/request-comment.js';

export interface RequestCheckInput {
  octokit: Octokit;
  repo: RepoRef;
  pullNumber: number;
  /** The commit this run judges: the PR's head when the event fired. */
  headSha: string;
  config: JitConfig;
  now: Date;
  /** The base branch, where the request an extension names must be merged (decision 025). */
  baseRef?: string;
  /** Login the token comments as; only its sticky comment is updated. */
  commentAuthor: string;
  reports?: CloudTrailReports;
  /** Told once the verdict is decided and posted, before any report is read. */
  onVerdict?: (check: PullRequestCheck) => void;
  /** Told when a newer push made this run's comment stale, so it was not written. */
  onSuperseded?: (currentHead: string) => void;
  /**
   * A client that can ask for review (decision 031): the review App's token, which can resolve
   * teams. Absent, nobody is asked.
   */
  reviewOctokit?: Octokit;
  /** Told `opened` for this PR: set only on the PR's `opened` and `reopened` events. */
  announceOpened?: Notify;
}

/**
 * The request check in two writes to the sticky comment. First the verdict on the head commit,
 * naming it, with the CloudTrail report marked as pending; then the same comment with the report,
 * which its budget bounds. A job that dies in between leaves the current verdict, never the
 * previous push's. A run whose commit is no longer the PR's head writes nothing: the newer
 * push's run owns the comment, and a late older run must not put its verdict back.
 */
export async function requestCheck(input: RequestCheckInput): Promise<{
  check: PullRequestCheck;
  body: string;
  /** Whom this run asked for review; absent when it asked nobody (see reviewOctokit). */
  reviews?: ReviewRequests;
}> {
  const { octokit, repo, pullNumber, headSha, reports } = input;
  const check = await checkPullRequest(input);
  // One report per account of each valid request: a request naming several accounts gets each.
  const reported = check.outcomes.map((o) =>
    o.ok ? (o.targets ?? [o.plan]).map((p) => (reports?.covers(p) ? p : undefined)) : [],
  );
  const pending = { state: 'pending', budgetSeconds: reports?.budgetSeconds ?? 0 } as const;
  let body = render(check, headSha, (i, t) => (reported[i]![t] ? pending : undefined));
  const current = await writeIfCurrent(body);
  input.onVerdict?.(check);
  // Neither can fail the check: both are told after the verdict, and both report, never throw.
  await tell(input.announceOpened, openedEvent(pullNumber, check));
  const reviews = current ? await askApprovers(check) : undefined;
  if (!reports || reported.flat().every((p) => p === undefined)) return { check, body, reviews };

  const activities = await Promise.all(
    reported.map((plans) => Promise.all(plans.map((p) => p && reports.read(p)))),
  );
  body = render(check, headSha, (i, t) => activities[i]![t]);
  await writeIfCurrent(body);
  return { check, body, reviews };

  /** A valid request's approvers, asked on the head this run judged; an invalid one waits. */
  async function askApprovers(c: PullRequestCheck): Promise<ReviewRequests | undefined> {
    const plans = c.outcomes.flatMap((o) => (o.ok ? [o.plan] : []));
    if (!input.reviewOctokit || !c.valid || plans.length === 0) return undefined;
    return requestApproverReviews({
      octokit: input.reviewOctokit,
      repo,
      pullNumber,
      headSha,
      approvers: plans.flatMap((p) => p.approvals.approvers),
      requester: plans[0]!.request.requester,
    });
  }

  async function writeIfCurrent(text: string): Promise<boolean> {
    const { data: pr } = await octokit.rest.pulls.get({ ...repo, pull_number: pullNumber });
    if (pr.head.sha !== headSha) {
      input.onSuperseded?.(pr.head.sha);
      return false;
    }
    await upsertStickyComment(
      octokit,
      { ...repo, issueNumber: pullNumber, author: input.commentAuthor },
      'request',
      text,
    );
    return true;
  }
}

function render(
  check: PullRequestCheck,
  headSha: string,
  activity: (index: number, target: number) => Activity | undefined,
): string {
  const outcomes = check.outcomes.map((o, i): FileOutcome => {
    if (!o.ok) return o;
    if (o.targets) {
      const each = o.targets.map((_, t) => activity(i, t));
      return each.some((a) => a !== undefined) ? { ...o, activity: each } : o;
    }
    const a = activity(i, 0);
    return a ? { ...o, activity: a } : o;
  });
  return fitComment(renderRequestComment({ outcomes, prProblems: check.prProblems, headSha }));
}
