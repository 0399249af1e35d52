import type { Octokit } from '@octokit/rest';
import type { RepoRef } from './pull-request.js';

/**
 * The states GitHub reports for a submitted review. `PENDING` (a draft only its author can see)
 * may appear in a listing made with the reviewer's own token; it never counts.
 */
export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface Review {
  id: number;
  /** Null for a deleted account (GitHub's "ghost"). */
  login: string | null;
  /** As GitHub reports it; a state this code does not know never counts as an approval. */
  state: ReviewState | (string & {});
  /** The commit the reviewer looked at; null when GitHub no longer knows it. */
  commitId: string | null;
  /** ISO 8601; absent for a pending review. */
  submittedAt?: string;
  /** How the reviewer relates to the repository: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE… */
  authorAssociation: string;
}

/** Every review of a PR, oldest first as GitHub lists them, across all pages. */
export async function listReviews(
  octokit: Octokit,
  repo: RepoRef,
  pullNumber: number,
): Promise<Review[]> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
    ...repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return reviews.map((r) => ({
    id: r.id,
    login: r.user?.login ?? null,
    state: r.state,
    commitId: r.commit_id,
    ...(r.submitted_at ? { submittedAt: r.submitted_at } : {}),
    authorAssociation: r.author_association,
  }));
}
