import { hasNotPrincipal } from './authz/trust.js';
import { CloudTrailStore } from './cloudtrail/store.js';
import type { Clock } from './clock.js';
import { newId, newSecret, newSessionToken } from './ids.js';

/**
 * The emulated AWS world: accounts, IAM entities and managed policies, OIDC providers, access
 * keys and the CloudTrail history. Tests seed it directly; the IAM and STS operations change it
 * through the same methods.
 */

export const DEFAULT_ACCOUNT = '123456789012';
/** The pseudo-account of AWS managed policies: `arn:aws:iam::aws:policy/...`. */
export const AWS_MANAGED = 'aws';

export interface Tag {
  Key: string;
  Value: string;
}

export type PolicyDocument = Record<string, unknown>;

export interface PolicyVersion {
  versionId: string;
  /** As submitted, whitespace and all: AWS returns the document text it was given. */
  document: string;
  isDefault: boolean;
  createDate: Date;
}

export interface ManagedPolicy {
  arn: string;
  name: string;
  id: string;
  path: string;
  /** Owning account, or `aws` for AWS managed policies. */
  accountId: string;
  description?: string;
  createDate: Date;
  updateDate: Date;
  versions: PolicyVersion[];
  /** Version ids are never reused: v1, v2, ... even after deletions. */
  nextVersion: number;
  tags: Tag[];
  /** ARNs of the users, roles and groups it is attached to (across accounts for AWS managed). */
  attachments: Set<string>;
}

export type EntityKind = 'user' | 'role' | 'group';

export interface Entity {
  kind: EntityKind;
  accountId: string;
  name: string;
  id: string;
  path: string;
  arn: string;
  createDate: Date;
  inlinePolicies: Map<string, PolicyDocument>;
  /** Attached managed policy ARNs, in attachment order. */
  attached: string[];
  tags: Tag[];
}

export interface User extends Entity {
  kind: 'user';
  groups: Set<string>;
}

export interface Role extends Entity {
  kind: 'role';
  trustPolicy: PolicyDocument;
  maxSessionDuration: number;
  description?: string;
}

export interface Group extends Entity {
  kind: 'group';
}

export interface OidcProvider {
  arn: string;
  accountId: string;
  /** Issuer without its scheme, as IAM stores it: `token.actions.githubusercontent.com`. */
  url: string;
  audiences: string[];
}

/** Who signed a request, as `userIdentity` in CloudTrail and GetCallerIdentity describe it. */
export type Identity =
  | { type: 'IAMUser'; accountId: string; arn: string; principalId: string; userName: string }
  | {
      type: 'AssumedRole';
      accountId: string;
      arn: string;
      principalId: string;
      roleArn: string;
      roleId: string;
      roleName: string;
      sessionName: string;
      issuedAt: Date;
      /** The OIDC provider ARN for web identity sessions. */
      federatedProvider?: string;
    };

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  identity: Identity;
  expiration?: Date;
  /** Test-setup keys: authenticated like any other, but never refused by authorisation. */
  admin: boolean;
  /** Session policies passed to STS: the session may do only what these and the role allow. */
  sessionPolicies?: SessionPolicies;
}

/**
 * A session's `Policy` and `PolicyArns`. The managed ones are named, not copied: each request
 * reads the policy's default version then, and one that no longer exists allows nothing.
 */
export interface SessionPolicies {
  inline?: PolicyDocument;
  managedArns: string[];
}

export interface EntityInit {
  accountId?: string;
  name: string;
  path?: string;
  inlinePolicies?: Record<string, PolicyDocument>;
  managedPolicyArns?: string[];
  tags?: Tag[];
}

export interface RoleInit extends EntityInit {
  trustPolicy: PolicyDocument;
  maxSessionDuration?: number;
  description?: string;
}

export interface ManagedPolicyInit {
  /** Defaults to the default account; `aws` makes an AWS managed policy. */
  accountId?: string;
  name: string;
  path?: string;
  document: PolicyDocument | string;
  description?: string;
  tags?: Tag[];
}

export class AwsState {
  readonly accounts = new Set<string>();
  readonly policies = new Map<string, ManagedPolicy>();
  readonly oidcProviders = new Map<string, OidcProvider>();
  readonly credentials = new Map<string, Credential>();
  readonly cloudtrail = new CloudTrailStore();
  private readonly entities = new Map<string, Entity>();

  constructor(
    private readonly clock: Clock,
    readonly defaultAccountId = DEFAULT_ACCOUNT,
  ) {
    this.addAccount(defaultAccountId);
  }

  addAccount(id: string): void {
    if (!/^\d{12}$/.test(id)) throw new Error(`account id must be 12 digits: ${id}`);
    this.accounts.add(id);
  }

  addUser(init: EntityInit & { groups?: string[] }): User {
    const user: User = {
      ...this.entityBase('user', 'AIDA', init),
      kind: 'user',
      groups: new Set(),
    };
    for (const group of init.groups ?? []) {
      this.requireEntity('group', user.accountId, group);
      user.groups.add(group);
    }
    return this.register(user, init);
  }

  addRole(init: RoleInit): Role {
    const statements = ([] as unknown[]).concat(init.trustPolicy.Statement ?? []);
    if (statements.some((s) => hasNotPrincipal(s as Record<string, unknown>)))
      // IAM's answer to such a CreateRole or UpdateAssumeRolePolicy (see authz/trust.ts).
      throw new Error(
        `MalformedPolicyDocument: role ${init.name}: NotPrincipal is not allowed in a role trust policy`,
      );
    const role: Role = {
      ...this.entityBase('role', 'AROA', init),
      kind: 'role',
      trustPolicy: init.trustPolicy,
      maxSessionDuration: init.maxSessionDuration ?? 3600,
      description: init.description,
    };
    return this.register(role, init);
  }

  addGroup(init: EntityInit): Group {
    return this.register({ ...this.entityBase('group', 'AGPA', init), kind: 'group' }, init);
  }

  addManagedPolicy(init: ManagedPolicyInit): ManagedPolicy {
    const accountId = init.accountId ?? this.defaultAccountId;
    const path = init.path ?? '/';
    const now = this.clock.now();
    const document =
      typeof init.document === 'string' ? init.document : JSON.stringify(init.document);
    const policy: ManagedPolicy = {
      arn: `arn:aws:iam::${accountId}:policy${path}${init.name}`,
      name: init.name,
      id: newId('ANPA'),
      path,
      accountId,
      description: init.description,
      createDate: now,
      updateDate: now,
      versions: [{ versionId: 'v1', document, isDefault: true, createDate: now }],
      nextVersion: 2,
      tags: [...(init.tags ?? [])],
      attachments: new Set(),
    };
    this.policies.set(policy.arn, policy);
    return policy;
  }

  addOidcProvider(init: { accountId?: string; url: string; audiences?: string[] }): OidcProvider {
    const accountId = init.accountId ?? this.defaultAccountId;
    const url = providerUrl(init.url);
    const provider: OidcProvider = {
      arn: `arn:aws:iam::${accountId}:oidc-provider/${url}`,
      accountId,
      url,
      audiences: init.audiences ?? ['sts.amazonaws.com'],
    };
    this.oidcProviders.set(provider.arn, provider);
    return provider;
  }

  /** A long-term access key for a user; `admin` keys skip authorisation (test setup only). */
  addAccessKey(init: {
    userName: string;
    accountId?: string;
    admin?: boolean;
    accessKeyId?: string;
    secretAccessKey?: string;
  }): Credential {
    const user = this.requireEntity('user', init.accountId ?? this.defaultAccountId, init.userName);
    const credential: Credential = {
      accessKeyId: init.accessKeyId ?? newId('AKIA'),
      secretAccessKey: init.secretAccessKey ?? newSecret(),
      identity: {
        type: 'IAMUser',
        accountId: user.accountId,
        arn: user.arn,
        principalId: user.id,
        userName: user.name,
      },
      admin: init.admin ?? false,
    };
    this.credentials.set(credential.accessKeyId, credential);
    return credential;
  }

  /** Temporary credentials for a role session, as STS issues them. */
  addRoleSession(init: {
    role: Role;
    sessionName: string;
    durationSeconds?: number;
    federatedProvider?: string;
    sessionPolicies?: SessionPolicies;
  }): Credential & { sessionToken: string; expiration: Date } {
    const { role, sessionName } = init;
    const now = this.clock.now();
    const credential = {
      accessKeyId: newId('ASIA'),
      secretAccessKey: newSecret(),
      sessionToken: newSessionToken(),
      expiration: new Date(now.getTime() + (init.durationSeconds ?? 3600) * 1000),
      identity: {
        type: 'AssumedRole' as const,
        accountId: role.accountId,
        arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
        principalId: `${role.id}:${sessionName}`,
        roleArn: role.arn,
        roleId: role.id,
        roleName: role.name,
        sessionName,
        issuedAt: now,
        federatedProvider: init.federatedProvider,
      },
      admin: false,
      ...(init.sessionPolicies ? { sessionPolicies: init.sessionPolicies } : {}),
    };
    this.credentials.set(credential.accessKeyId, credential);
    return credential;
  }

  entity(kind: 'user', accountId: string, name: string): User | undefined;
  entity(kind: 'role', accountId: string, name: string): Role | undefined;
  entity(kind: 'group', accountId: string, name: string): Group | undefined;
  entity(kind: EntityKind, accountId: string, name: string): Entity | undefined;
  entity(kind: EntityKind, accountId: string, name: string): Entity | undefined {
    return this.entities.get(entityKey(kind, accountId, name));
  }

  /** A user or role by ARN, or the role behind an assumed-role session ARN. */
  entityByArn(arn: string): Entity | undefined {
    const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
    if (session) return this.entity('role', session[1] as string, session[2] as string);
    const m = /^arn:aws:iam::(\d{12}):(user|role|group)\/(?:.*\/)?([^/]+)$/.exec(arn);
    return m ? this.entity(m[2] as EntityKind, m[1] as string, m[3] as string) : undefined;
  }

  /** The identity-based policies in force for a principal: inline, attached, and its groups'. */
  identityPolicies(entity: Entity): { name: string; policy: PolicyDocument }[] {
    const holders: Entity[] = [entity];
    if (entity.kind === 'user') {
      for (const group of (entity as User).groups) {
        const g = this.entity('group', entity.accountId, group);
        if (g) holders.push(g);
      }
    }
    const out: { name: string; policy: PolicyDocument }[] = [];
    for (const holder of holders) {
      for (const [name, policy] of holder.inlinePolicies)
        out.push({ name: `${holder.arn}#${name}`, policy });
      for (const arn of holder.attached) {
        const version = this.policies.get(arn)?.versions.find((v) => v.isDefault);
        if (version) out.push({ name: arn, policy: JSON.parse(version.document) });
      }
    }
    return out;
  }

  /** A session's policies as documents; a managed one that is gone contributes nothing. */
  sessionPolicyDocuments(session: SessionPolicies): { name: string; policy: PolicyDocument }[] {
    const out: { name: string; policy: PolicyDocument }[] = [];
    if (session.inline) out.push({ name: 'session#inline', policy: session.inline });
    for (const arn of session.managedArns) {
      const version = this.policies.get(arn)?.versions.find((v) => v.isDefault);
      if (version) out.push({ name: `session#${arn}`, policy: JSON.parse(version.document) });
    }
    return out;
  }

  /**
   * Removes a user, role or group with its policies and attachments (a service deleting the role
   * it manages, such as IAM Identity Center deprovisioning). Its sessions then match no entity,
   * so every request they make is denied.
   */
  removeEntity(entity: Entity): void {
    for (const arn of entity.attached) this.policies.get(arn)?.attachments.delete(entity.arn);
    this.entities.delete(entityKey(entity.kind, entity.accountId, entity.name));
  }

  /** Attaches without the API's checks: seeding, and the operations once they have checked. */
  attach(entity: Entity, policy: ManagedPolicy): void {
    if (!entity.attached.includes(policy.arn)) entity.attached.push(policy.arn);
    policy.attachments.add(entity.arn);
  }

  detach(entity: Entity, policy: ManagedPolicy): void {
    entity.attached = entity.attached.filter((arn) => arn !== policy.arn);
    policy.attachments.delete(entity.arn);
  }

  private entityBase(kind: EntityKind, prefix: 'AIDA' | 'AROA' | 'AGPA', init: EntityInit) {
    const accountId = init.accountId ?? this.defaultAccountId;
    if (!this.accounts.has(accountId)) this.addAccount(accountId);
    const path = init.path ?? '/';
    if (this.entity(kind, accountId, init.name))
      throw new Error(`${kind} ${init.name} already exists in ${accountId}`);
    return {
      accountId,
      name: init.name,
      id: newId(prefix),
      path,
      arn: `arn:aws:iam::${accountId}:${kind}${path}${init.name}`,
      createDate: this.clock.now(),
      inlinePolicies: new Map(Object.entries(init.inlinePolicies ?? {})),
      attached: [] as string[],
      tags: [...(init.tags ?? [])],
    };
  }

  private register<T extends Entity>(entity: T, init: EntityInit): T {
    this.entities.set(entityKey(entity.kind, entity.accountId, entity.name), entity);
    for (const arn of init.managedPolicyArns ?? []) {
      const policy = this.policies.get(arn);
      if (!policy) throw new Error(`no managed policy ${arn}`);
      this.attach(entity, policy);
    }
    return entity;
  }

  private requireEntity(kind: EntityKind, accountId: string, name: string): Entity {
    const entity = this.entity(kind, accountId, name);
    if (!entity) throw new Error(`no ${kind} ${name} in ${accountId}`);
    return entity;
  }
}

const entityKey = (kind: EntityKind, accountId: string, name: string): string =>
  `${accountId}/${kind}/${name}`;

/** IAM names an OIDC provider by its issuer without the scheme or a trailing slash. */
export const providerUrl = (issuer: string): string =>
  issuer.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
