import type { Octokit } from '@octokit/rest';
import type { RepoRef } from '../github/pull-request.js';

/**
 * How far back the reconciler looks for merged requests: the latest a request may start
 * (14 days ahead) plus the longest duration (12 hours), with a day to spare.
 */
export const LOOKBACK_MS = 15 * 24 * 3600_000;

/**
 * Merged pull requests into the default branch, most recently updated first, back to the
 * lookback horizon. Every run re-reads them all, so a run that GitHub's concurrency cancelled,
 * or a push event that never came, loses nothing: the next run grants what is due.
 */
export async function recentMergedPulls(
  octokit: Octokit,
  repo: RepoRef,
  defaultBranch: string,
  now: Date,
): Promise<number[]> {
  const horizon = now.getTime() - LOOKBACK_MS;
  const numbers: number[] = [];
  for await (const page of octokit.paginate.iterator(octokit.rest.pulls.list, {
    ...repo,
    state: 'closed',
    base: defaultBranch,
    sort: 'updated',
    direction: 'desc',
    per_page: 100,
  })) {
    for (const pr of page.data) {
      if (pr.merged_at && new Date(pr.merged_at).getTime() >= horizon) numbers.push(pr.number);
    }
    const last = page.data.at(-1);
    if (!last || new Date(last.updated_at).getTime() < horizon) break;
  }
  return numbers;
}
