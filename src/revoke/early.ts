import { isTeamSlug } from '../github/teams.js';

export type EarlyRevoke = { allowed: true } | { allowed: false; reason: string };

export interface RevokeAuthority {
  /** The requester: the PR author, which the grant made sure of. */
  requester: string;
  /**
   * Who may approve this access (logins and `org/team`s, CODEOWNERS already resolved); empty
   * when the request no longer resolves under today's config, leaving the requester alone.
   */
  approvers: string[];
  isMember: (login: string, orgTeam: string) => boolean;
}

/**
 * Who may end a grant early with `/revoke`: its requester, or someone who may approve that
 * access (not whoever happened to review the PR: a non-binding approval carries no authority).
 * Ending access early only ever reduces privilege, so no further approval is needed.
 */
export function judgeEarlyRevoke(commenter: string, authority: RevokeAuthority): EarlyRevoke {
  const who = commenter.toLowerCase();
  if (authority.requester.toLowerCase() === who) return { allowed: true };
  const approver = authority.approvers.some((a) =>
    isTeamSlug(a) ? authority.isMember(commenter, a) : a.toLowerCase() === who,
  );
  if (approver) return { allowed: true };
  const may =
    authority.approvers.length > 0
      ? ` or someone who may approve it (${authority.approvers.join(', ')})`
      : '';
  return {
    allowed: false,
    reason: `only the requester (${authority.requester})${may} can end this grant early`,
  };
}
