import type { ApprovalRule } from '../domain.js';
import type { Review } from './reviews.js';
import { isTeamSlug } from './teams.js';

export interface ApprovalInput {
  /** The PR author: never an approver of their own request. */
  author: string;
  /** The PR's final commit. */
  headSha: string;
  /** Every review of the PR, in any order. */
  reviews: Review[];
  rule: ApprovalRule;
  /** Whether `login` is an active member of `orgTeam` (`org/team`), answered beforehand. */
  isMember: (login: string, orgTeam: string) => boolean;
  /**
   * The merge time (ISO 8601). Reviews submitted after it did not gate the merge, so they can
   * neither approve it retroactively nor withdraw an approval it was merged with.
   */
  mergedAt?: string | null;
}

export interface CountedApproval {
  login: string;
  /** Why this approver qualifies: `listed`, `member of org/team`, or `association MEMBER`. */
  via: string;
}

export interface IgnoredReviewer {
  login: string;
  /** Reads after the login: `bob is the author: …`. */
  reason: string;
}

export interface ApprovalVerdict {
  satisfied: boolean;
  counted: CountedApproval[];
  /** One entry per reviewer whose reviews do not count, saying why. */
  ignored: IgnoredReviewer[];
  /** Approvals still needed; 0 when satisfied. */
  missing: number;
  /** One line for a PR comment or a log. */
  summary: string;
}

/**
 * Associations that mean "may push to this repository or is inside the organisation". Used only
 * when the rule names no approvers; the config is expected to name them (CODEOWNERS entries),
 * and branch protection's code-owner review is the other layer.
 */
const TRUSTED_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** A grant never goes out without at least one person other than the author agreeing. */
const MIN_APPROVALS = 1;

const short = (sha: string | null): string => (sha ?? 'unknown').slice(0, 7);
const isBot = (login: string): boolean => login.toLowerCase().endsWith('[bot]');

/**
 * Whether a PR's reviews satisfy an approval rule, re-derived from the reviews themselves so a
 * merge that bypassed branch protection (an admin, a misconfigured ruleset) grants nothing.
 *
 * Each reviewer's standing is their latest review that takes a position, as GitHub computes it:
 * APPROVED and CHANGES_REQUESTED replace what came before, a COMMENTED review leaves the
 * earlier position standing, and a DISMISSED review (GitHub rewrites the dismissed review's own
 * state) is a position of "no verdict" that does not revive an older approval. Only an approval
 * of the final commit counts: a later push may have changed what was approved.
 */
export function evaluateApprovals(input: ApprovalInput): ApprovalVerdict {
  const { author, headSha, rule } = input;
  const required = Math.max(MIN_APPROVALS, rule.required);
  const counted: CountedApproval[] = [];
  const ignored: IgnoredReviewer[] = [];

  const cutoff = input.mergedAt ? Date.parse(input.mergedAt) : Infinity;
  for (const all of byReviewer(input.reviews)) {
    const history = all.filter((r) => Date.parse(r.submittedAt ?? '') <= cutoff);
    const latest = history[history.length - 1];
    const login = (latest ?? all[0])?.login ?? 'ghost';
    if (!latest) {
      ignored.push({
        login,
        reason:
          'reviewed only after the merge: a review that did not gate the merge cannot approve it',
      });
      continue;
    }
    const reason = disqualification(history, author, headSha);
    if (reason) {
      ignored.push({ login, reason });
      continue;
    }
    const via = qualification(latest, rule.approvers, input.isMember);
    if (via) counted.push({ login, via });
    else ignored.push({ login, reason: notAnApprover(rule.approvers, latest) });
  }

  const missing = Math.max(0, required - counted.length);
  return {
    satisfied: missing === 0,
    counted,
    ignored,
    missing,
    summary: summarise(counted, required, missing),
  };
}

/** Reviews grouped per reviewer (logins are case-insensitive), each group oldest first. */
function byReviewer(reviews: Review[]): Review[][] {
  const submitted = reviews
    .filter((r) => r.submittedAt !== undefined)
    .sort(
      (a, b) => Date.parse(a.submittedAt ?? '') - Date.parse(b.submittedAt ?? '') || a.id - b.id,
    );
  const groups = new Map<string, Review[]>();
  for (const r of submitted) {
    // Deleted accounts cannot be told apart, so each of their reviews stands alone.
    const key = r.login === null ? `#${r.id}` : r.login.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

/** Why this reviewer's approval cannot count whoever they are; undefined if it may. */
function disqualification(history: Review[], author: string, headSha: string): string | undefined {
  const login = history[0]?.login ?? null;
  if (login === null) return 'is a deleted account';
  if (isBot(login)) return 'is a bot: bots cannot approve access';
  if (login.toLowerCase() === author.toLowerCase())
    return 'is the author: nobody approves their own request';
  const position = [...history].reverse().find((r) => r.state !== 'COMMENTED');
  if (!position) return 'only commented';
  switch (position.state) {
    case 'APPROVED':
      return position.commitId === headSha
        ? undefined
        : `approved commit ${short(position.commitId)}, not the final commit ${short(headSha)}: the PR changed after the approval`;
    case 'CHANGES_REQUESTED':
      return 'requested changes in their latest review';
    case 'DISMISSED':
      return 'had their latest review dismissed';
    default:
      return `left a ${position.state} review, not an approval`;
  }
}

/** How an approving reviewer qualifies under the rule; undefined if they do not. */
function qualification(
  review: Review,
  approvers: string[],
  isMember: ApprovalInput['isMember'],
): string | undefined {
  const login = (review.login ?? '').toLowerCase();
  if (approvers.length === 0) {
    return TRUSTED_ASSOCIATIONS.has(review.authorAssociation)
      ? `association ${review.authorAssociation}`
      : undefined;
  }
  if (approvers.some((a) => !isTeamSlug(a) && a.replace(/^@/, '').toLowerCase() === login))
    return 'listed';
  const team = approvers.find((a) => isTeamSlug(a) && isMember(login, a.replace(/^@/, '')));
  return team ? `member of ${team.replace(/^@/, '')}` : undefined;
}

function notAnApprover(approvers: string[], review: Review): string {
  if (approvers.length === 0)
    return `has no write association with the repository (${review.authorAssociation})`;
  return `is not an approver for this request (approvers: ${approvers.join(', ')})`;
}

function summarise(counted: CountedApproval[], required: number, missing: number): string {
  const who = counted.map((c) => `${c.login} (${c.via})`).join(', ');
  const head = `${counted.length} of ${required} required approval${required === 1 ? '' : 's'}`;
  return missing === 0
    ? `${head}: ${who}`
    : `${head}${who ? ` (${who})` : ''}; ${missing} more needed`;
}
