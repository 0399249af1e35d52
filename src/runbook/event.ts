import { attachmentTarget, madeByPrincipal, type Principal } from './principal.js';

/**
 * A CloudTrail record, as delivered to S3 and as `LookupEvents` returns in `CloudTrailEvent`.
 * Only the fields jit-access reads are typed; the rest stays available for `groupBy` paths.
 */
export interface CloudTrailRecord {
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  eventID?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  readOnly?: boolean;
  recipientAccountId?: string;
  userIdentity?: {
    type?: string;
    arn?: string;
    accountId?: string;
    principalId?: string;
    userName?: string;
    sessionContext?: {
      sessionIssuer?: { arn?: string; userName?: string; type?: string };
      attributes?: { mfaAuthenticated?: string; creationDate?: string };
    };
  };
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  [field: string]: unknown;
}

/** What to read: a time window, optionally narrowed to one principal. */
export interface EventQuery {
  from: Date;
  to: Date;
  /** Whose calls: a user, every session of a role, an Identity Center user's sessions. */
  principal?: Principal;
  /**
   * Also IAM calls made by anyone on the principal (`actsOn`): how a broker's policy attachments,
   * i.e. earlier grants, are found. Without it only the principal's own calls are read.
   */
  includeActsOn?: boolean;
  /** Regions to read; all when absent. IAM events are global and logged in us-east-1. */
  regions?: string[];
}

/** Where records come from: log files, the LookupEvents API, Athena. Same records, any source. */
export interface EventSource {
  readonly name: string;
  events(query: EventQuery): AsyncIterable<CloudTrailRecord>;
  /**
   * The same records in batches (a file, a page), when the source has them that way: one async
   * step per batch instead of per record, which is most of the cost of a fast source.
   */
  batches?(query: EventQuery): AsyncIterable<CloudTrailRecord[]>;
}

/**
 * `Date.parse(eventTime)`, with a fast path for the way CloudTrail writes times
 * (`2026-03-01T10:00:00Z`, optionally with milliseconds): a few character codes instead of the
 * general date parser, for a number read per record. Anything else, and any date the fast path
 * is not certain of (days past the 28th, hour 24), goes to `Date.parse`, so the result is always
 * the same as `Date.parse`'s.
 */
export function eventTimeMs(eventTime: unknown): number {
  if (typeof eventTime !== 'string') return Date.parse(eventTime as string);
  const s = eventTime;
  const n = s.length;
  if (
    (n === 20 || (n === 24 && s.charCodeAt(19) === 46)) && // `.`
    s.charCodeAt(n - 1) === 90 && // `Z`
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45 && // `-`
    s.charCodeAt(10) === 84 && // `T`
    s.charCodeAt(13) === 58 &&
    s.charCodeAt(16) === 58 // `:`
  ) {
    const year = digits(s, 0, 4);
    const month = digits(s, 5, 2);
    const day = digits(s, 8, 2);
    const hour = digits(s, 11, 2);
    const minute = digits(s, 14, 2);
    const second = digits(s, 17, 2);
    const ms = n === 24 ? digits(s, 20, 3) : 0;
    if (
      year >= 1000 && // Date.UTC reads years 0-99 as 19xx
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 28 &&
      hour >= 0 &&
      hour <= 23 &&
      minute >= 0 &&
      minute <= 59 &&
      second >= 0 &&
      second <= 59 &&
      ms >= 0
    )
      return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  }
  return Date.parse(s);
}

/** The decimal number in `length` characters of `s` from `at`; -1 if one is not a digit. */
function digits(s: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** IAM calls that manage the policies attached to a user or a role. */
export const POLICY_ATTACHMENT_EVENTS = [
  'AttachUserPolicy',
  'DetachUserPolicy',
  'AttachRolePolicy',
  'DetachRolePolicy',
] as const;

/**
 * An IAM policy attachment call on the principal, by whoever made it, compiled once per run:
 * for a user `requestParameters.userName` names it; for a role, `requestParameters.roleName`.
 */
export function actsOnPrincipal(principal: Principal): (record: CloudTrailRecord) => boolean {
  const target = attachmentTarget(principal);
  if (!target) return () => false;
  const { field, name } = target;
  const events = POLICY_ATTACHMENT_EVENTS as readonly string[];
  return (record) =>
    record.eventSource === 'iam.amazonaws.com' &&
    events.includes(record.eventName) &&
    record.requestParameters?.[field] === name;
}

/** Whether a source should yield the record for the query (time aside), compiled once. */
export function wantedBy(query: EventQuery): (record: CloudTrailRecord) => boolean {
  const principal = query.principal;
  if (!principal) return () => true;
  const own = madeByPrincipal(principal);
  if (query.includeActsOn !== true) return own;
  const on = actsOnPrincipal(principal);
  return (record) => own(record) || on(record);
}

/** Error codes of a call refused for lack of permission, across services' spellings. */
const ACCESS_DENIED = /AccessDenied|UnauthorizedOperation|Forbidden|NotAuthorized/i;

export const deniedAccess = (record: CloudTrailRecord): boolean =>
  typeof record.errorCode === 'string' && ACCESS_DENIED.test(record.errorCode);
