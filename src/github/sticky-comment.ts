import type { Octokit } from '@octokit/rest';

/**
 * One comment per PR and purpose, updated in place. The hidden marker names the purpose; only a
 * comment written by our own identity counts, so a user who pastes the marker into a comment of
 * theirs cannot make the action overwrite it.
 */
export const stickyMarker = (purpose: string): string => `<!-- jit-access:${purpose} -->`;

export interface IssueComment {
  id: number;
  body?: string | null;
  user: { login: string } | null;
}

export function findSticky(
  comments: IssueComment[],
  marker: string,
  author: string,
): IssueComment | undefined {
  return comments.find((c) => c.user?.login === author && (c.body ?? '').startsWith(marker));
}

export interface StickyTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Login the token comments as, e.g. `github-actions[bot]`. */
  author: string;
}

/** Creates or updates the sticky comment; returns its id and whether it was created. */
export async function upsertStickyComment(
  octokit: Octokit,
  target: StickyTarget,
  purpose: string,
  body: string,
): Promise<{ id: number; created: boolean }> {
  const marker = stickyMarker(purpose);
  const { owner, repo, issueNumber } = target;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const existing = findSticky(comments, marker, target.author);
  const full = `${marker}\n${body}`;
  if (existing) {
    // A reconciler re-renders the same verdict every run: unchanged text is not re-sent.
    if (existing.body === full) return { id: existing.id, created: false };
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: full });
    return { id: existing.id, created: false };
  }
  const { data } = await octokit.rest.issues.createComment({
    owner,
    repo,
    issue_number: issueNumber,
    body: full,
  });
  return { id: data.id, created: true };
}
