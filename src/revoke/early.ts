import { addsRequest, requestIdOf } from '../github/changed-requests.js';
import type { PrFacts } from '../github/pr-facts.js';

export type EarlyRevoke = { allowed: true; requestId: string } | { allowed: false; reason: string };

/**
 * Who may end a grant early with `/revoke`: its requester (the PR author, which the grant made
 * sure of) or someone who approved it. Anyone else is told no. Ending access early only ever
 * reduces privilege, so no further approval is needed.
 */
export function judgeEarlyRevoke(facts: PrFacts, commenter: string): EarlyRevoke {
  const added = facts.files.filter(addsRequest);
  if (!facts.merged || added.length !== 1) {
    return {
      allowed: false,
      reason: `PR #${facts.number} is not a granted request, so there is nothing to revoke`,
    };
  }
  const requestId = requestIdOf(added[0]!.filename);
  const who = commenter.toLowerCase();
  if (facts.author.toLowerCase() === who) return { allowed: true, requestId };
  const approved = facts.reviews.some(
    (r) => r.state === 'APPROVED' && r.login?.toLowerCase() === who,
  );
  if (approved) return { allowed: true, requestId };
  return {
    allowed: false,
    reason: `only the requester (${facts.author}) or an approver of PR #${facts.number} can revoke this grant early`,
  };
}
