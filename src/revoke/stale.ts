import type { Octokit } from '@octokit/rest';
import { messageOf } from '../aws/errors.js';
import { REQUEST_FILE } from '../github/changed-requests.js';
import type { RepoRef } from '../github/pull-request.js';

/** An open request PR older than the configured age, closed by the sweep. */
export interface StaleRequest {
  pr: number;
  openedAt: string;
}

const DAY = 24 * 60 * 60_000;

export const staleComment = (days: number): string =>
  `This request has been open for more than ${days} days without being merged, so it is closed: ` +
  'its reason and window are probably out of date. Open a new request if the access is still needed.';

/**
 * Closes every open PR into the default branch that was opened more than `days` ago and changes
 * only request files. Only old PRs have their files listed (one call each), so a repository with
 * many young PRs costs one listing. Nothing else is touched: a PR that changes any other file is
 * someone's work on the repository, not a request.
 */
export async function closeStaleRequests(run: {
  octokit: Octokit;
  repo: RepoRef;
  defaultBranch: string;
  now: Date;
  days: number;
}): Promise<{ closed: StaleRequest[]; failures: { pr: number; error: string }[] }> {
  const closed: StaleRequest[] = [];
  const failures: { pr: number; error: string }[] = [];
  if (run.days <= 0) return { closed, failures };
  const cutoff = run.now.getTime() - run.days * DAY;
  const open = await run.octokit.paginate(run.octokit.rest.pulls.list, {
    ...run.repo,
    state: 'open',
    base: run.defaultBranch,
    sort: 'created',
    direction: 'asc',
    per_page: 100,
  });
  for (const pr of open) {
    if (Date.parse(pr.created_at) >= cutoff) continue;
    try {
      const files = await run.octokit.paginate(run.octokit.rest.pulls.listFiles, {
        ...run.repo,
        pull_number: pr.number,
        per_page: 100,
      });
      if (files.length === 0 || !files.every((f) => REQUEST_FILE.test(f.filename))) continue;
      await run.octokit.rest.issues.createComment({
        ...run.repo,
        issue_number: pr.number,
        body: staleComment(run.days),
      });
      await run.octokit.rest.pulls.update({ ...run.repo, pull_number: pr.number, state: 'closed' });
      closed.push({ pr: pr.number, openedAt: pr.created_at });
    } catch (e) {
      failures.push({ pr: pr.number, error: messageOf(e) });
    }
  }
  return { closed, failures };
}
