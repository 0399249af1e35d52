/**
 * The decision record: what jit-access decided about each request PR, appended to a log that no
 * person can rewrite (see log.ts). It is the source of truth for "never again" (a granted, revoked,
 * expired or refused request is not judged again) and the audit trail: each record says who, what,
 * when and why. PR comments only present it.
 */
export type RecordKind =
  /** The policy is attached. */
  | 'granted'
  /** Judged and refused for a reason a re-run cannot change (approvals, shape, the request). */
  | 'refused'
  /** Its window ended before it could be granted. */
  | 'expired'
  /** Ended early on a person's `/revoke`: written before the policy is deleted. */
  | 'revoked'
  /** A `/revoke` from someone without the authority to end it: answered, nothing done. */
  | 'revoke-refused'
  /** The sweep deleted the policy (after expiry or a revoke), with what it removed. */
  | 'removed'
  /** A merged PR that adds no request (ordinary work on the repository): never a grant. */
  | 'skipped'
  /** The requester was reminded that the grant ends soon: once per grant (decision 023). */
  | 'reminded'
  /** A `/break-glass` comment not honoured (decision 026): answered, nothing granted. */
  | 'break-glass-refused'
  /** A break-glass grant's approvers approved the granted commit in time. */
  | 'retro-approved'
  /** A break-glass grant was not approved in time: its approvers were alerted, the grant ends. */
  | 'retro-missed';

export const RECORD_KINDS: readonly RecordKind[] = [
  'granted',
  'refused',
  'expired',
  'revoked',
  'revoke-refused',
  'removed',
  'skipped',
  'reminded',
  'break-glass-refused',
  'retro-approved',
  'retro-missed',
];

/** Kinds after which a PR is never judged for a grant again. */
export const FINAL_KINDS: ReadonlySet<RecordKind> = new Set([
  'granted',
  'refused',
  'expired',
  'revoked',
  'skipped',
]);

interface Base {
  /** Format version. */
  v: 1;
  pr: number;
  /** When the decision was taken (ISO 8601). */
  at: string;
  /** The workflow run that took it, when known. */
  run?: string;
  requestId?: string;
  /**
   * Set on the records of one account of a request that names several (decision 027): which
   * account, and how many the request names. Absent: the record is about the whole PR (its only
   * account, or every account of it, such as a refusal or a `/revoke`).
   */
  target?: Target;
}

/** One account of a request that names `of` accounts. */
export interface Target {
  account: string;
  of: number;
}

/** When and by which run a decision was taken: the fields every record starts with. */
export interface Stamp {
  now: Date;
  runId?: string;
}

export const recordBase = (pr: number, stamp: Stamp): Base => ({
  v: 1,
  pr,
  at: stamp.now.toISOString(),
  ...(stamp.runId ? { run: stamp.runId } : {}),
});

/**
 * Who asked and why, as the merged request file says. Absent from records written before
 * decision 021 and from refusals of a PR whose request could not be read.
 */
export interface Asked {
  requester: string;
  reason: string;
  ticket?: string;
}

/**
 * What a removed grant was used for, as the sweep measured it from CloudTrail just before
 * deleting it (decision 021). Absent when the report could not be made, and from older records.
 */
export interface RecordedUsage {
  source: 'lookup-events' | 'athena';
  /** The principal's events inside the window. */
  events: number;
  used: { action: string; calls: number; failed: number }[];
  denied: { action: string; calls: number; errorCode: string }[];
  /** Granted action patterns never called. */
  unused: string[];
}

export type DecisionRecord =
  | (Base & {
      kind: 'granted';
      requestId: string;
      requester: string;
      account: string;
      accountId: string;
      principal: string;
      /** The managed policy, or (identity-center) the permission set holding the grant. */
      policyArn: string;
      /** Absent for iam, the original backend. */
      backend?: 'identity-center';
      permissionSetArn?: string;
      identityCenterUserId?: string;
      /** SHA-256 of the exact policy document IAM received. */
      policySha256: string;
      window: { start: string; expiry: string };
      /** The merge commit the request was read at. */
      commit: string;
      /** The PR's final commit, the one the counted approvals are for. */
      headSha: string;
      approvers: string[];
      /** False when an earlier run had created it and this one adopted it. */
      created: boolean;
      /** The request's own reason and ticket (decision 021; absent from older records). */
      reason?: string;
      ticket?: string;
      /** The profile granted; absent for custom permissions and older records. */
      profile?: string;
      /** The distinct actions the policy allows, sorted (absent from older records). */
      actions?: string[];
      /**
       * The `/break-glass` comment that took it (decision 026): its id in the path marks a
       * break-glass grant. `commit` is then the PR's head, not a merge commit.
       */
      commentId?: number;
      breakGlass?: BreakGlassGrant;
      /** An extension (decision 025): the request id and PR it extended, and where its chain began. */
      extends?: string;
      extendsPr?: number;
      chainStart?: string;
      /** Why the extended grant's policy was left for the sweep to remove at its expiry. */
      extendsLeft?: string;
    })
  | (Base & {
      kind: 'refused';
      codes: string[];
      reasons: string[];
      commit?: string;
      asked?: Asked;
    })
  | (Base & {
      kind: 'expired';
      requestId: string;
      window: { start: string; expiry: string };
      asked?: Asked;
    })
  /** `commentPr`: the comment was on a grant this PR's grant extends (decision 025). */
  | (Base & { kind: 'revoked'; by: string; commentId: number; commentPr?: number })
  | (Base & {
      kind: 'revoke-refused';
      by: string;
      commentId: number;
      reason: string;
      commentPr?: number;
    })
  | (Base & { kind: 'skipped'; reason: string })
  | (Base & { kind: 'reminded'; requestId: string; expiry: string })
  | (Base & { kind: 'break-glass-refused'; by: string; commentId: number; reason: string })
  | (Base & { kind: 'retro-approved'; requestId: string; approvers: string[] })
  | (Base & { kind: 'retro-missed'; requestId: string; due: string; summary: string })
  | (Base & {
      kind: 'removed';
      requestId: string;
      policyArn: string;
      /** `extended`: replaced by the grant of PR `extendedBy` (decision 025). */
      reason: 'expired' | 'early' | 'extended';
      extendedBy?: number;
      detached: string[];
      usage?: RecordedUsage;
    });

/** What a break-glass grant owes: who took it and the review that must follow (decision 026). */
export interface BreakGlassGrant {
  by: string;
  /** When the retro review must be approved by (ISO 8601). */
  retroDue: string;
  /** Whose approval of `headSha` counts, as resolved when it was granted. */
  rule: { required: number; approvers: string[] };
}

/**
 * Where a record lives on the log branch. Everything a reconciler needs to skip a finished PR or
 * to know a `/revoke` comment was answered is in the path, so one tree listing answers it:
 * `pr/<number>/<seq>-<kind>[-c<comment id>][.<account>.of<n>].json`, the last part on the
 * records of one of several accounts (decision 027).
 */
export function recordPath(record: DecisionRecord, seq: number): string {
  const comment = 'commentId' in record ? `-c${record.commentId}` : '';
  const target = record.target ? `.${record.target.account}.of${record.target.of}` : '';
  return `pr/${record.pr}/${String(seq).padStart(4, '0')}-${record.kind}${comment}${target}.json`;
}

export interface RecordEntry {
  pr: number;
  seq: number;
  kind: RecordKind;
  commentId?: number;
  target?: Target;
  path: string;
}

const PATH =
  /^pr\/([1-9]\d{0,9})\/(\d{4,})-([a-z-]+?)(?:-c([1-9]\d{0,15}))?(?:\.([a-z][a-z0-9-]{1,31})\.of([1-9]\d?))?\.json$/;

/** The entry a log path names, or undefined for anything that is not a record (a README). */
export function parseRecordPath(path: string): RecordEntry | undefined {
  const m = PATH.exec(path);
  if (!m) return undefined;
  const kind = m[3] as RecordKind;
  if (!RECORD_KINDS.includes(kind)) return undefined;
  return {
    pr: Number(m[1]),
    seq: Number(m[2]),
    kind,
    ...(m[4] ? { commentId: Number(m[4]) } : {}),
    ...(m[5] && m[6] ? { target: { account: m[5], of: Number(m[6]) } } : {}),
    path,
  };
}
