import type { Octokit } from '@octokit/rest';
import { listChangedFiles, type ChangedFile, type RepoRef } from './pull-request.js';
import { listReviews, type Review } from './reviews.js';

/**
 * What the grant decision needs to know about a PR, read once so every check judges the same
 * snapshot. Title, body and labels are deliberately absent: they can change after approval, so
 * nothing may be decided from them.
 */
export interface PrFacts {
  repo: RepoRef;
  number: number;
  author: string;
  state: 'open' | 'closed';
  merged: boolean;
  /** ISO 8601, null until merged. */
  mergedAt: string | null;
  mergeCommitSha: string | null;
  /** The branch the PR targets (and was merged into). */
  baseRef: string;
  /** The repository's default branch when the facts were read. */
  defaultBranch: string;
  /** The PR's final commit: the only one an approval may be for. */
  headSha: string;
  /**
   * How many files GitHub says the PR changes. The files API lists at most 3,000, so a listing
   * shorter than this count cannot prove what the PR touched.
   */
  changedFileCount: number;
  files: ChangedFile[];
  /** Oldest first. */
  reviews: Review[];
}

export async function fetchPrFacts(
  octokit: Octokit,
  repo: RepoRef,
  pullNumber: number,
  /** The PR's files when the caller has listed them already (a merged PR's files are final). */
  knownFiles?: ChangedFile[],
): Promise<PrFacts> {
  const [{ data: pr }, files, reviews] = await Promise.all([
    octokit.rest.pulls.get({ ...repo, pull_number: pullNumber }),
    knownFiles ?? listChangedFiles(octokit, repo, pullNumber),
    listReviews(octokit, repo, pullNumber),
  ]);
  return {
    repo,
    number: pr.number,
    author: pr.user.login,
    state: pr.state === 'open' ? 'open' : 'closed',
    merged: pr.merged,
    mergedAt: pr.merged_at,
    mergeCommitSha: pr.merge_commit_sha,
    baseRef: pr.base.ref,
    defaultBranch: pr.base.repo.default_branch,
    headSha: pr.head.sha,
    changedFileCount: pr.changed_files,
    files,
    reviews,
  };
}
