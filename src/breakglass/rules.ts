/**
 * Break-glass (decision 026): the rules, without I/O. A requester may take a break-glass profile
 * on their own word with a `/break-glass` comment on their open request PR; the grant is short,
 * announced, recorded, and must be approved afterwards by the profile's approvers.
 */
import type { ApprovalRule, Profile } from '../domain.js';
import { evaluateApprovals, type ApprovalVerdict } from '../github/approvals.js';
import type { Review } from '../github/reviews.js';
import type { RecordEntry } from '../record/record.js';

export const isBreakGlassCommand = (body: string | null | undefined): boolean =>
  /^\/break-glass(?:\s|$)/.test((body ?? '').trim());

/** A granted record that names a comment was taken by `/break-glass` (record.ts). */
export const isBreakGlassGrant = (e: RecordEntry): boolean =>
  e.kind === 'granted' && e.commentId !== undefined;

export type Verdict = { ok: true } | { ok: false; code: string; reason: string };

const no = (code: string, reason: string): Verdict => ({ ok: false, code, reason });

export interface CommentFacts {
  by: string;
  createdAt: string;
  updatedAt: string;
  /** The PR's author: the only person who may break the glass on it. */
  prAuthor: string;
  now: Date;
}

/**
 * How long a `/break-glass` stays good: past the hourly sweep, but a comment whose grant failed
 * (an outage) is not granted by surprise a day later.
 */
export const BREAK_GLASS_COMMENT_MINUTES = 120;

/**
 * Who may break the glass: the PR's author, in a comment as first written. Anyone with write
 * access can edit anyone's comment, so an edited one could put the words in the author's mouth.
 */
export function judgeComment(c: CommentFacts): Verdict {
  if (c.updatedAt !== c.createdAt)
    return no('BREAK_GLASS_EDITED', 'an edited comment is not honoured; post /break-glass anew');
  if (c.now.getTime() - Date.parse(c.createdAt) > BREAK_GLASS_COMMENT_MINUTES * 60_000)
    return no(
      'BREAK_GLASS_STALE',
      `this /break-glass is more than ${BREAK_GLASS_COMMENT_MINUTES / 60}h old; post /break-glass anew if it is still needed`,
    );
  if (c.by.toLowerCase() !== c.prAuthor.toLowerCase())
    return no(
      'BREAK_GLASS_NOT_REQUESTER',
      `only the requester who opened this PR (${c.prAuthor}) may break the glass on it`,
    );
  return { ok: true };
}

export interface RequestFacts {
  profile: Profile | undefined;
  /** The request names its own start: a break-glass grant starts now or not at all. */
  namesStart: boolean;
  approvers: string[];
}

/** Whether the request itself may be taken on the requester's word. */
export function judgeRequest(r: RequestFacts): Verdict {
  if (!r.profile?.breakGlass)
    return no(
      'BREAK_GLASS_NOT_ALLOWED',
      r.profile
        ? `profile ${r.profile.name} is not a break-glass profile: it needs its approvals`
        : 'custom permissions are never break-glass: request a break-glass profile',
    );
  if (r.namesStart)
    return no('BREAK_GLASS_START', 'a break-glass grant starts now: remove start from the request');
  if (r.approvers.length === 0)
    return no(
      'NO_APPROVERS',
      `profile ${r.profile.name} names no approvers and CODEOWNERS none for the request: nobody could review it afterwards`,
    );
  return { ok: true };
}

export const retroDue = (grantedAt: Date, profile: Profile): Date =>
  new Date(grantedAt.getTime() + (profile.breakGlass?.retroReviewWithinMinutes ?? 0) * 60_000);

export interface RetroInput {
  requester: string;
  /** The commit that was granted: only an approval of it counts. */
  headSha: string;
  reviews: Review[];
  rule: ApprovalRule;
  isMember: (login: string, orgTeam: string) => boolean;
  due: Date;
  now: Date;
}

export type RetroVerdict =
  | { kind: 'approved'; approvals: ApprovalVerdict }
  | { kind: 'pending' }
  | { kind: 'missed'; approvals: ApprovalVerdict };

/**
 * The retro review, counted as a grant counts approvals (approvals.ts): distinct approvers, not
 * the requester, of the granted commit. Reviews after the deadline are ignored, so a late
 * approval cannot undo a miss already decided or decide one the sweep has not yet seen.
 */
export function judgeRetro(input: RetroInput): RetroVerdict {
  const approvals = evaluateApprovals({
    author: input.requester,
    headSha: input.headSha,
    reviews: input.reviews,
    rule: input.rule,
    isMember: input.isMember,
    mergedAt: input.due.toISOString(),
  });
  if (approvals.satisfied) return { kind: 'approved', approvals };
  return input.now.getTime() >= input.due.getTime()
    ? { kind: 'missed', approvals }
    : { kind: 'pending' };
}

/** `@login` and `@org/team`: who a break-glass comment calls on. */
export const mentions = (approvers: readonly string[]): string =>
  approvers.map((a) => `@${a.replace(/^@/, '')}`).join(' ');
