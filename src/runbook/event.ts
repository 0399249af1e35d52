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
}

/** Where records come from: log files, the LookupEvents API, Athena. Same records, any source. */
export interface EventSource {
  readonly name: string;
  events(query: EventQuery): AsyncIterable<CloudTrailRecord>;
}

/** Whether a record was made by the principal: the user itself, or any session of the role. */
export function madeBy(record: CloudTrailRecord, principalArn: string): boolean {
  const id = record.userIdentity;
  if (!id) return false;
  if (id.arn === principalArn) return true;
  return id.sessionContext?.sessionIssuer?.arn === principalArn;
}
