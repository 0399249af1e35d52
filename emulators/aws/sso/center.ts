import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { conflict, quotaExceeded } from './input.js';
import type { AwsState, Credential, PolicyDocument, Role, Tag } from '../state.js';

/**
 * IAM Identity Center as the emulator models it: one instance with its identity store (users,
 * groups), permission sets, account assignments, and the asynchronous requests that change
 * them. Provisioning a permission set into an account creates, in that account's IAM, the role
 * AWS creates (`AWSReservedSSO_<name>_<16 hex>` on `/aws-reserved/sso.amazonaws.com/`) with the
 * permission set's inline policy; the last assignment's removal deletes it again.
 */

export const RESERVED_PATH = '/aws-reserved/sso.amazonaws.com/';
export const RESERVED_PREFIX = 'AWSReservedSSO_';
/** The name AWS gives the permission set's inline policy on the role it provisions. */
export const INLINE_POLICY_NAME = 'AwsSSOInlinePolicy';
/** Service quotas (https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html). */
export const MAX_PERMISSION_SETS = 2000;
export const MAX_PROVISIONED_PER_ACCOUNT = 250;

export type RequestKind = 'create' | 'delete' | 'provision';
export type RequestStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
export type PrincipalType = 'USER' | 'GROUP';

export interface StoreUser {
  UserId: string;
  UserName: string;
  DisplayName?: string;
  Name?: { GivenName?: string; FamilyName?: string; Formatted?: string };
  Emails?: { Value: string; Type?: string; Primary?: boolean }[];
}

export interface StoreGroup {
  GroupId: string;
  DisplayName: string;
  members: Set<string>;
}

export interface PermissionSet {
  arn: string;
  name: string;
  description?: string;
  sessionDuration: string;
  relayState?: string;
  createdDate: Date;
  tags: Tag[];
  inlinePolicy?: string;
  /** Bumped by every policy change; provisioning records the version it applied. */
  version: number;
}

export interface Assignment {
  permissionSetArn: string;
  accountId: string;
  principalType: PrincipalType;
  principalId: string;
}

export interface AsyncRequest {
  id: string;
  kind: RequestKind;
  permissionSetArn: string;
  /** The target account; for ALL_PROVISIONED_ACCOUNTS provisioning, absent. */
  accountId?: string;
  principal?: { type: PrincipalType; id: string };
  created: Date;
  polls: number;
  status: RequestStatus;
  failureReason?: string;
  /** A failure injected by the test, reported when the request ends. */
  injected?: string;
}

/**
 * When an asynchronous request ends. By default the third Describe call sees the result
 * (`polls: 3`), so a client that never polls never sees its change applied. With `afterMs` the
 * request ends once that much emulator time has passed since it started, polled or not.
 */
export interface CompletionSettings {
  polls: number;
  afterMs?: number;
}

export interface SeedUser {
  userName: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
}

export class IdentityCenter {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly identityStoreArn: string;
  /** The organization's management account, which owns the instance. */
  readonly ownerAccountId: string;
  /** The instance's home region; roles get a region segment in their path outside us-east-1. */
  readonly region: string;
  readonly createdDate: Date;
  readonly completion: CompletionSettings = { polls: 3 };

  readonly users = new Map<string, StoreUser>();
  readonly groups = new Map<string, StoreGroup>();
  readonly permissionSets = new Map<string, PermissionSet>();
  readonly assignments: Assignment[] = [];
  readonly requests = new Map<string, AsyncRequest>();
  /** Permission set ARN → account → the role provisioned there and the version it holds. */
  private readonly provisioned = new Map<string, Map<string, { role: string; version: number }>>();
  private readonly failures: { kind: RequestKind; reason: string }[] = [];

  constructor(
    private readonly state: AwsState,
    private readonly clock: Clock,
    opts: { ownerAccountId?: string; region?: string } = {},
  ) {
    this.ownerAccountId = opts.ownerAccountId ?? state.defaultAccountId;
    this.region = opts.region ?? 'us-east-1';
    this.instanceArn = `arn:aws:sso:::instance/ssoins-${hex(16)}`;
    this.identityStoreId = `d-${hex(10)}`;
    this.identityStoreArn = `arn:aws:identitystore::${this.ownerAccountId}:identitystore/${this.identityStoreId}`;
    this.createdDate = clock.now();
  }

  /** Seeds an Identity Store user (tests; the product only reads users). */
  addUser(init: SeedUser): StoreUser {
    if ([...this.users.values()].some((u) => u.UserName === init.userName))
      throw conflict(`Duplicate UserName ${init.userName}`);
    const user: StoreUser = {
      UserId: storeId(),
      UserName: init.userName,
      DisplayName: init.displayName ?? init.userName,
      Name:
        init.givenName || init.familyName
          ? { GivenName: init.givenName, FamilyName: init.familyName }
          : undefined,
      Emails: init.email ? [{ Value: init.email, Type: 'work', Primary: true }] : undefined,
    };
    this.users.set(user.UserId, user);
    return user;
  }

  /** Seeds a group with members given by user name. */
  addGroup(init: { displayName: string; members?: string[] }): StoreGroup {
    const group: StoreGroup = {
      GroupId: storeId(),
      DisplayName: init.displayName,
      members: new Set(),
    };
    for (const name of init.members ?? []) group.members.add(this.requireUser(name).UserId);
    this.groups.set(group.GroupId, group);
    return group;
  }

  userByName(userName: string): StoreUser | undefined {
    return [...this.users.values()].find((u) => u.UserName === userName);
  }

  /** The next request of this kind ends FAILED with this FailureReason (tests). */
  failNext(kind: RequestKind, reason: string): void {
    this.failures.push({ kind, reason });
  }

  /** Creates a permission set; the API operation has already validated the input. */
  createPermissionSet(init: {
    name: string;
    description?: string;
    sessionDuration?: string;
    relayState?: string;
    tags?: Tag[];
  }): PermissionSet {
    for (const ps of this.permissionSets.values()) {
      if (ps.name === init.name)
        throw conflict(`PermissionSet with name ${init.name} already exists.`);
    }
    if (this.permissionSets.size >= MAX_PERMISSION_SETS)
      throw quotaExceeded(
        `The number of permission sets in the instance cannot exceed ${MAX_PERMISSION_SETS}.`,
      );
    const instanceId = this.instanceArn.split('/')[1];
    const ps: PermissionSet = {
      arn: `arn:aws:sso:::permissionSet/${instanceId}/ps-${hex(16)}`,
      name: init.name,
      description: init.description,
      sessionDuration: init.sessionDuration ?? 'PT1H',
      relayState: init.relayState,
      createdDate: this.clock.now(),
      tags: [...(init.tags ?? [])],
      version: 1,
    };
    this.permissionSets.set(ps.arn, ps);
    return ps;
  }

  /** Accounts the permission set is provisioned to (its role exists there). */
  provisionedAccounts(permissionSetArn: string): string[] {
    return [...(this.provisioned.get(permissionSetArn)?.keys() ?? [])];
  }

  /** The reserved role of a permission set in an account, while it is provisioned there. */
  provisionedRole(permissionSetArn: string, accountId: string): Role | undefined {
    const entry = this.provisioned.get(permissionSetArn)?.get(accountId);
    return entry ? this.state.entity('role', accountId, entry.role) : undefined;
  }

  /** Whether the account holds the permission set's latest policy. */
  isLatest(ps: PermissionSet, accountId: string): boolean {
    return this.provisioned.get(ps.arn)?.get(accountId)?.version === ps.version;
  }

  /** Permission sets provisioned to an account. */
  provisionedTo(accountId: string): string[] {
    return [...this.provisioned].filter(([, m]) => m.has(accountId)).map(([arn]) => arn);
  }

  /** A new asynchronous request, refused while another one touches the same set and account. */
  start(init: Omit<AsyncRequest, 'id' | 'created' | 'polls' | 'status'>): AsyncRequest {
    this.settleDue();
    for (const other of this.requests.values()) {
      if (other.status !== 'IN_PROGRESS' || other.permissionSetArn !== init.permissionSetArn)
        continue;
      if (!other.accountId || !init.accountId || other.accountId === init.accountId)
        throw conflict(
          `Request ${other.id} is in progress for permission set ${init.permissionSetArn}` +
            (other.accountId ? ` in account ${other.accountId}` : '') +
            '. Retry when it has completed.',
        );
    }
    const index = this.failures.findIndex((f) => f.kind === init.kind);
    const injected = index >= 0 ? this.failures.splice(index, 1)[0]?.reason : undefined;
    const request: AsyncRequest = {
      ...init,
      id: randomUUID(),
      created: this.clock.now(),
      polls: 0,
      status: 'IN_PROGRESS',
      injected,
    };
    this.requests.set(request.id, request);
    return request;
  }

  /** One Describe call on a request: counts the poll and ends the request when it is due. */
  poll(request: AsyncRequest): AsyncRequest {
    this.settleDue();
    if (request.status !== 'IN_PROGRESS') return request;
    request.polls += 1;
    if (this.completion.afterMs === undefined && request.polls >= this.completion.polls)
      this.finish(request);
    return request;
  }

  /** Ends the time-based requests whose time has come (every call checks first). */
  settleDue(): void {
    const afterMs = this.completion.afterMs;
    if (afterMs === undefined) return;
    const now = this.clock.now().getTime();
    for (const request of this.requests.values()) {
      if (request.status === 'IN_PROGRESS' && now - request.created.getTime() >= afterMs)
        this.finish(request);
    }
  }

  /**
   * A session of the reserved role for an Identity Center user, as the access portal or
   * `aws sso login` would open one: the session name is the user name, the duration the
   * permission set's. Refused unless the user (or a group of theirs) is assigned there.
   */
  openSession(init: {
    userName: string;
    accountId: string;
    permissionSet: string;
  }): Credential & { sessionToken: string; expiration: Date } {
    this.settleDue();
    const user = this.requireUser(init.userName);
    const ps = [...this.permissionSets.values()].find(
      (p) => p.name === init.permissionSet || p.arn === init.permissionSet,
    );
    if (!ps) throw new Error(`no permission set ${init.permissionSet}`);
    const assigned = this.assignments.some(
      (a) =>
        a.permissionSetArn === ps.arn &&
        a.accountId === init.accountId &&
        (a.principalType === 'USER'
          ? a.principalId === user.UserId
          : this.groups.get(a.principalId)?.members.has(user.UserId)),
    );
    const role = this.provisionedRole(ps.arn, init.accountId);
    if (!assigned || !role)
      throw new Error(`${init.userName} is not assigned ${ps.name} in ${init.accountId}`);
    return this.state.addRoleSession({
      role,
      sessionName: user.UserName,
      durationSeconds: durationSeconds(ps.sessionDuration),
    });
  }

  private finish(request: AsyncRequest): void {
    const failure = request.injected ?? this.apply(request);
    request.status = failure === undefined ? 'SUCCEEDED' : 'FAILED';
    request.failureReason = failure;
  }

  /** The request's effect; a failure reason when it cannot be applied. */
  private apply(request: AsyncRequest): string | undefined {
    const ps = this.permissionSets.get(request.permissionSetArn);
    if (!ps) return 'Received a 404 status error: Permission set not found.';
    if (request.kind === 'provision') {
      const targets = request.accountId ? [request.accountId] : this.provisionedAccounts(ps.arn);
      for (const account of targets) {
        const failure = this.provision(ps, account);
        if (failure) return failure;
      }
      return undefined;
    }
    const { type, id } = request.principal!;
    const account = request.accountId!;
    const index = this.assignments.findIndex(
      (a) =>
        a.permissionSetArn === ps.arn &&
        a.accountId === account &&
        a.principalType === type &&
        a.principalId === id,
    );
    if (request.kind === 'create') {
      const exists = type === 'USER' ? this.users.has(id) : this.groups.has(id);
      if (!exists) return `Received a 404 status error: Principal ${id} does not exist.`;
      if (index >= 0) return undefined;
      // Assigning provisions the set if it is not there yet; an existing role is not updated.
      if (!this.provisionedRole(ps.arn, account)) {
        const failure = this.provision(ps, account);
        if (failure) return failure;
      }
      this.assignments.push({
        permissionSetArn: ps.arn,
        accountId: account,
        principalType: type,
        principalId: id,
      });
      return undefined;
    }
    if (index < 0) return 'Received a 404 status error: Assignment not found.';
    this.assignments.splice(index, 1);
    // The last assignment gone, AWS deprovisions: the role is deleted.
    if (!this.assignments.some((a) => a.permissionSetArn === ps.arn && a.accountId === account))
      this.deprovision(ps.arn, account);
    return undefined;
  }

  /** Creates the reserved role, or brings its inline policy up to date. */
  private provision(ps: PermissionSet, accountId: string): string | undefined {
    const policies = new Map<string, PolicyDocument>();
    if (ps.inlinePolicy) policies.set(INLINE_POLICY_NAME, JSON.parse(ps.inlinePolicy));
    const existing = this.provisionedRole(ps.arn, accountId);
    if (existing) {
      existing.inlinePolicies.clear();
      for (const [name, doc] of policies) existing.inlinePolicies.set(name, doc);
      this.provisioned.get(ps.arn)?.set(accountId, { role: existing.name, version: ps.version });
      return undefined;
    }
    if (this.provisionedTo(accountId).length >= MAX_PROVISIONED_PER_ACCOUNT)
      return `Number of provisioned permission sets in account ${accountId} cannot exceed ${MAX_PROVISIONED_PER_ACCOUNT}.`;
    if (!this.state.accounts.has(accountId))
      return `Received a 404 status error: Account ${accountId} not found in the organization.`;
    const samlProvider = `arn:aws:iam::${accountId}:saml-provider/AWSSSO_${hex(16)}_DO_NOT_DELETE`;
    const role = this.state.addRole({
      accountId,
      name: `${RESERVED_PREFIX}${ps.name}_${hex(16)}`,
      path: this.region === 'us-east-1' ? RESERVED_PATH : `${RESERVED_PATH}${this.region}/`,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: samlProvider },
            Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
            Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
          },
        ],
      },
      maxSessionDuration: durationSeconds(ps.sessionDuration),
      inlinePolicies: Object.fromEntries(policies),
    });
    let byAccount = this.provisioned.get(ps.arn);
    if (!byAccount) this.provisioned.set(ps.arn, (byAccount = new Map()));
    byAccount.set(accountId, { role: role.name, version: ps.version });
    return undefined;
  }

  private deprovision(permissionSetArn: string, accountId: string): void {
    const role = this.provisionedRole(permissionSetArn, accountId);
    if (role) this.state.removeEntity(role);
    this.provisioned.get(permissionSetArn)?.delete(accountId);
  }

  private requireUser(userName: string): StoreUser {
    const user = this.userByName(userName);
    if (!user) throw new Error(`no Identity Store user ${userName}`);
    return user;
  }
}

const hex = (length: number): string =>
  randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);

/** Identity Store ids: ten hex digits, a dash, and a UUID. */
const storeId = (): string => `${hex(10)}-${randomUUID()}`;

/** `PT1H`, `PT2H30M`, `PT90M`: the ISO 8601 durations permission sets use, in seconds. */
export function durationSeconds(iso: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso);
  if (!m || (!m[1] && !m[2] && !m[3])) return NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}
