/**
 * The domain model shared by every part of jit-access. Values of these types have been
 * parsed and checked already: code that receives them trusts them.
 */

/** One allow statement as a user writes it (requests) or an admin does (profiles). */
export interface PermissionStatement {
  actions: string[];
  resources: string[];
  /** IAM condition block, e.g. `{ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }`. */
  conditions?: Record<string, Record<string, string | string[]>>;
}

/** A request file `requests/<id>.yaml` after parsing and schema validation. */
export interface AccessRequest {
  /** The file name without `.yaml`: `^[a-z0-9][a-z0-9-]{2,63}$`. */
  id: string;
  requester: string;
  /** The account granted: the file's `account`, or one of its `accounts` (see `accounts`). */
  account: string;
  /**
   * Every alias of a file that names several accounts with `accounts:` (decision 027). Each
   * account is its own target: the same request with `account` set to it (`targetsOf`).
   */
  accounts?: string[];
  profile?: string;
  permissions?: PermissionStatement[];
  durationMinutes: number;
  /** Requested start; absent means "when the PR is merged". */
  start?: Date;
  reason: string;
  ticket?: string;
  /** The id of the requester's live grant this request extends (decision 025). */
  extends?: string;
}

export interface Account {
  alias: string;
  /** 12-digit AWS account id, always a string. */
  id: string;
  /** ARN of the broker role the grant action assumes through OIDC. */
  brokerRole: string;
  /** ARN of the read-only role the request check assumes to run the requester runbook. */
  runbookRole?: string;
  regions: string[];
  /** Where the usage report reads CloudTrail; LookupEvents (management events only) when absent. */
  cloudtrail?: { athena: CloudTrailAthena };
  /** How access is granted in this account; `iam` when absent. */
  backend?: GrantBackend;
  /** `arn:aws:iam::{accountId}:user/people/{login}`: this account's IAM principal of a person. */
  principalTemplate?: string;
}

/**
 * `iam`: a time-bound managed policy attached to the person's IAM user or role.
 * `identity-center`: a time-bound permission set assigned to the person's Identity Center user.
 */
export type GrantBackend = 'iam' | 'identity-center';

/** The organisation's IAM Identity Center instance, managed by its own broker role. */
export interface IdentityCenter {
  /** `arn:aws:sso:::instance/ssoins-…`. */
  instanceArn: string;
  /** `d-…`: where people's users live. */
  identityStoreId: string;
  /** The region the instance is in (SSO Admin and Identity Store are called there). */
  region: string;
  /** The broker role in the management or delegated administrator account. */
  brokerRole: string;
  /** GitHub login -> Identity Center user name; wins over `userName`. */
  users: Record<string, string>;
  /** `{login}@acme.com`: the user name of any person not in `users`. */
  userName?: string;
}

/** Who receives a grant, as the backend that grants it names them. */
export type Grantee =
  | { backend: 'iam'; principalArn: string }
  /** The user id is looked up in the Identity Store at grant time (GetUserId). */
  | { backend: 'identity-center'; userName: string; identityCenter: IdentityCenter };

/**
 * An Athena table over the account's CloudTrail logs (e.g. an organisation trail), which holds
 * data events such as S3 object reads that LookupEvents never returns. The broker role queries it.
 */
export interface CloudTrailAthena {
  database: string;
  table: string;
  /** The region Athena is called in; one of the account's regions. */
  region: string;
  /** The workgroup; Athena's `primary` when absent. */
  workgroup?: string;
  /** `s3://…` for the results; absent when the workgroup sets one. */
  outputLocation?: string;
}

export interface Profile {
  name: string;
  description: string;
  statements: PermissionStatement[];
  maxDurationMinutes: number;
  /** Longest chain of extensions, first start to last expiry; absent: 3 × maxDuration (decision 025). */
  maxChainMinutes?: number;
  approvals: number;
  /** GitHub logins or `org/team` slugs whose approval counts. */
  approvers: string[];
  /** Who may request it (logins or `org/team`); absent: anyone the config names. */
  requesters?: string[];
  /** The account aliases it may be requested for; absent: every account. */
  accounts?: string[];
  /** Set when the requester may take it on their own word, reviewed afterwards (decision 026). */
  breakGlass?: BreakGlass;
}

/** How a break-glass profile is reviewed after the fact. */
export interface BreakGlass {
  /** The profile's approvers must approve the granted commit within this long of the grant. */
  retroReviewWithinMinutes: number;
}

export type HighRiskPolicy = 'deny' | 'extra-approval';

export interface JitConfig {
  version: 1;
  defaults: { maxDurationMinutes: number; approvals: number; runbook: string };
  accounts: Record<string, Account>;
  /** GitHub login -> account alias -> IAM user or role ARN. */
  principals: Record<string, Record<string, string>>;
  /** GitHub logins the templates apply to, besides those named in principals or identityCenter.users. */
  people?: string[];
  /** The IAM principal of a person in an account that sets none of its own. */
  principalTemplate?: string;
  identityCenter?: IdentityCenter;
  profiles: Record<string, Profile>;
  custom: {
    allowed: boolean;
    approvals: number;
    approvers: string[];
    maxDurationMinutes: number;
    /** As a profile's maxChainMinutes, for custom permissions. */
    maxChainMinutes?: number;
  };
  /** Actions (wildcards allowed) no request may ever be granted. */
  denyActions: string[];
  /** What a high-risk (privilege escalation / persistence) finding does. */
  highRisk: { policy: HighRiskPolicy; extraApprovals: number };
  ticket: { required: boolean; pattern?: string };
  lifecycle: Lifecycle;
}

/** What the scheduled sweep does besides removing grants. */
export interface Lifecycle {
  /** Remind the requester this many minutes before a grant ends; 0: never. */
  remindBeforeMinutes: number;
  /** Close request PRs still open this many days after they were opened; 0: never. */
  closeUnmergedAfterDays: number;
}

/** A request checked against the config: everything a grant needs, nothing left to look up. */
export interface ResolvedRequest {
  request: AccessRequest;
  account: Account;
  /**
   * Who receives the grant as reviewers read it and the `jit:principal` tag records it: the IAM
   * user or role ARN, or (Identity Center) the user name.
   */
  principalArn: string;
  grantee: Grantee;
  /** Profile name, or undefined for custom permissions. */
  profile?: string;
  statements: PermissionStatement[];
  durationMinutes: number;
  approvals: ApprovalRule;
  /**
   * The profile limits its requesters to teams and does not name this requester as a login: the
   * grant must find them an active member of one of these (`org/team`), with the App's
   * `members: read`, before anything is granted.
   */
  requesterTeams?: string[];
}

export interface ApprovalRule {
  /** Distinct approvers needed, never counting the requester. */
  required: number;
  /** GitHub logins or `org/team` slugs; empty means any code owner. */
  approvers: string[];
}

/** The window in which a grant is valid; the IAM conditions enforce it. */
export interface GrantWindow {
  start: Date;
  expiry: Date;
}
