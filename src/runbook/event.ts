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
  /** An IAM user ARN or role ARN; a role matches every session of it. */
  principalArn?: string;
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

/** Whether a record was made by the principal: the user itself, or any session of the role. */
export function madeBy(record: CloudTrailRecord, principalArn: string): boolean {
  const id = record.userIdentity;
  if (!id) return false;
  if (id.arn === principalArn) return true;
  return id.sessionContext?.sessionIssuer?.arn === principalArn;
}

/** IAM calls that manage the policies attached to a user or a role. */
export const POLICY_ATTACHMENT_EVENTS = [
  'AttachUserPolicy',
  'DetachUserPolicy',
  'AttachRolePolicy',
  'DetachRolePolicy',
] as const;

/**
 * Whether a record is an IAM policy attachment call on the principal, by whoever made it: for a
 * user ARN, `requestParameters.userName` names it; for a role, `requestParameters.roleName`.
 */
export function actsOn(record: CloudTrailRecord, principalArn: string): boolean {
  if (record.eventSource !== 'iam.amazonaws.com') return false;
  if (!(POLICY_ATTACHMENT_EVENTS as readonly string[]).includes(record.eventName)) return false;
  const target = /:(user|role)\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  if (!target) return false;
  const field = target[1] === 'user' ? 'userName' : 'roleName';
  return record.requestParameters?.[field] === target[2];
}

/** Whether a source should yield the record for the query (time aside). */
export function wanted(record: CloudTrailRecord, query: EventQuery): boolean {
  if (!query.principalArn) return true;
  return (
    madeBy(record, query.principalArn) ||
    (query.includeActsOn === true && actsOn(record, query.principalArn))
  );
}

/** Error codes of a call refused for lack of permission, across services' spellings. */
const ACCESS_DENIED = /AccessDenied|UnauthorizedOperation|Forbidden|NotAuthorized/i;

export const deniedAccess = (record: CloudTrailRecord): boolean =>
  typeof record.errorCode === 'string' && ACCESS_DENIED.test(record.errorCode);
