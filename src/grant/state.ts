import type { IssueComment } from '../github/sticky-comment.js';

/**
 * A grant's lifecycle is recorded in the PR's own comments, written only by the action's
 * identity: once granted or revoked, a request is never granted again by a later run, even if
 * its policy was deleted by hand in the meantime (a security team's manual revoke must stick).
 */
export type GrantState = 'granted' | 'revoked' | 'refused' | 'expired';

export const stateMarker = (requestId: string, state: GrantState): string =>
  `<!-- jit-access:state ${requestId} ${state} -->`;

/** The latest state our identity recorded for a request, if any. */
export function recordedState(
  comments: IssueComment[],
  requestId: string,
  author: string,
): GrantState | undefined {
  const re = new RegExp(
    `<!-- jit-access:state ${requestId} (granted|revoked|refused|expired) -->`,
    'g',
  );
  let found: GrantState | undefined;
  for (const c of comments) {
    if (c.user?.login !== author) continue;
    for (const m of (c.body ?? '').matchAll(re)) {
      const state = m[1] as GrantState;
      // A revoke is final; otherwise the newest comment wins.
      if (found !== 'revoked') found = state;
    }
  }
  return found;
}

/**
 * Whether our identity recorded a final state (granted, revoked or expired) for a request on this
 * PR. A request PR adds exactly one request (any other shape is refused, which is not final), so
 * this is `recordedState` of that request, answered from the comments alone: the reconciler can
 * skip a finished PR before reading anything else about it.
 */
export function hasFinalState(comments: IssueComment[], author: string): boolean {
  const ids = new Set<string>();
  for (const c of comments) {
    if (c.user?.login !== author) continue;
    for (const m of (c.body ?? '').matchAll(/<!-- jit-access:state (\S+) \w+ -->/g)) ids.add(m[1]!);
  }
  return [...ids].some((id) => {
    const state = recordedState(comments, id, author);
    return state === 'granted' || state === 'revoked' || state === 'expired';
  });
}
