/**
 * The Identity Center grant: the request's own permission set (tags first, then the time-bound
 * inline policy), assigned to the person's user in the target account. Every step converges when
 * a previous run, or a retried call whose response was lost, already did it; a permission set of
 * that name that is not this grant is refused, never changed.
 */
import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListPermissionSetsCommand,
  ListTagsForResourceCommand,
  PutInlinePolicyToPermissionSetCommand,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { GetUserIdCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { policyDocumentsEqual } from '../policy/canonical.js';
import { isAwsError, messageOf } from './errors.js';
import { MANAGED_TAG, sessionHours, type PermissionSetGrant } from './permission-set.js';
import {
  DEFAULT_POLL,
  pollOperation,
  type OperationOutcome,
  type PollOptions,
} from './sso-status.js';

export interface IdentityCenterClients {
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
}

export type SsoGrantOutcome =
  | {
      ok: true;
      permissionSetArn: string;
      userId: string;
      /** False when an earlier run had created it: adopted. */
      created: boolean;
      /** False when the assignment was already in place. */
      assigned: boolean;
    }
  /**
   * `conflict`: a permission set of this name that is not this grant; only a person can settle
   * it. `aws-error`: a failed call or a FAILED assignment. `pending`: still in progress at the
   * polling bound. Both of the latter are retried by the next run.
   */
  | {
      ok: false;
      permissionSetArn?: string;
      reason: string;
      kind: 'conflict' | 'aws-error' | 'pending';
    };

/** Tags that identify a grant: if these match, an existing permission set is this grant. */
const IDENTITY_TAGS = ['jit:request', 'jit:principal', 'jit:start', 'jit:expiry', 'jit:managed'];

export async function applySsoGrant(
  clients: IdentityCenterClients,
  grant: PermissionSetGrant,
  poll: PollOptions = DEFAULT_POLL,
): Promise<SsoGrantOutcome> {
  let permissionSetArn: string | undefined;
  try {
    const userId = await lookUpUser(clients.identityStore, grant);
    const set = await createOrAdopt(clients.ssoAdmin, grant);
    if (!set.ok) return set;
    permissionSetArn = set.arn;
    const assignment = await assign(clients.ssoAdmin, grant, set.arn, userId, poll);
    if (assignment.status === 'FAILED') {
      return {
        ok: false,
        permissionSetArn,
        kind: 'aws-error',
        reason: `assigning ${grant.name} to ${grant.userName} in ${grant.accountId} failed: ${assignment.reason}`,
      };
    }
    if (assignment.status === 'IN_PROGRESS') {
      return {
        ok: false,
        permissionSetArn,
        kind: 'pending',
        reason: `assigning ${grant.name} to ${grant.userName} in ${grant.accountId} is still in progress (request ${assignment.requestId}): the next run checks again`,
      };
    }
    return {
      ok: true,
      permissionSetArn: set.arn,
      userId,
      created: set.created,
      assigned: assignment.status === 'SUCCEEDED',
    };
  } catch (e) {
    return {
      ok: false,
      ...(permissionSetArn ? { permissionSetArn } : {}),
      kind: 'aws-error',
      reason: messageOf(e),
    };
  }
}

async function lookUpUser(store: IdentitystoreClient, grant: PermissionSetGrant): Promise<string> {
  try {
    const { UserId } = await store.send(
      new GetUserIdCommand({
        IdentityStoreId: grant.identityStoreId,
        AlternateIdentifier: {
          UniqueAttribute: { AttributePath: 'userName', AttributeValue: grant.userName },
        },
      }),
    );
    if (!UserId) throw new Error(`the Identity Store returned no id for ${grant.userName}`);
    return UserId;
  } catch (e) {
    // Not a refusal: the user may be provisioned (SCIM) later, or the config corrected.
    if (isAwsError(e, 'ResourceNotFoundException'))
      throw new Error(
        `no user ${grant.userName} in identity store ${grant.identityStoreId}: create it, or correct identityCenter.users in jit.config.yaml`,
        { cause: e },
      );
    throw e;
  }
}

type SetOutcome =
  { ok: true; arn: string; created: boolean } | Extract<SsoGrantOutcome, { ok: false }>;

async function createOrAdopt(sso: SSOAdminClient, grant: PermissionSetGrant): Promise<SetOutcome> {
  let arn: string | undefined;
  let created = false;
  try {
    const { PermissionSet } = await sso.send(
      new CreatePermissionSetCommand({
        InstanceArn: grant.instanceArn,
        Name: grant.name,
        Description: grant.description,
        SessionDuration: grant.sessionDuration,
        Tags: grant.tags,
      }),
    );
    arn = PermissionSet?.PermissionSetArn;
    if (!arn) throw new Error(`CreatePermissionSet returned no ARN for ${grant.name}`);
    created = true;
  } catch (e) {
    if (!isAwsError(e, 'ConflictException')) throw e;
    arn = await findByName(sso, grant.instanceArn, grant.name);
    if (!arn)
      throw new Error(
        `CreatePermissionSet says ${grant.name} exists, but it is not listed yet, or it is a permission set this broker may not read (one jit-access did not create: rename or remove it); the next run looks again`,
        { cause: e },
      );
  }
  if (!created) {
    const mismatch = await notThisGrant(sso, grant, arn);
    if (mismatch) return { ok: false, permissionSetArn: arn, reason: mismatch, kind: 'conflict' };
  }
  // A document already in place was compared above; an empty one is this grant half-done.
  const current = created ? '' : await inlinePolicy(sso, grant.instanceArn, arn);
  if (current === '') {
    await sso.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: grant.instanceArn,
        PermissionSetArn: arn,
        InlinePolicy: grant.document,
      }),
    );
  }
  return { ok: true, arn, created };
}

/**
 * Identity Center has no lookup by name: list the instance's permission sets and read each.
 * Sets tagged jit:managed come first: a least-privilege broker may read only those, and our own
 * lost create is one of them. Only when none matches are the others read, skipping any the
 * broker may not read (it cannot have created those).
 */
export async function findByName(
  sso: SSOAdminClient,
  instanceArn: string,
  name: string,
): Promise<string | undefined> {
  const nameOf = async (arn: string) =>
    (
      await sso.send(
        new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
      )
    ).PermissionSet?.Name;
  const others: string[] = [];
  for (const arn of await listPermissionSets(sso, instanceArn)) {
    const tags = await permissionSetTags(sso, instanceArn, arn).catch((e: unknown) => {
      if (isAwsError(e, 'AccessDeniedException')) return undefined;
      throw e;
    });
    if (tags === undefined) continue;
    if (tags[MANAGED_TAG.Key] !== MANAGED_TAG.Value) others.push(arn);
    else if ((await nameOf(arn)) === name) return arn;
  }
  for (const arn of others) {
    try {
      if ((await nameOf(arn)) === name) return arn;
    } catch (e) {
      if (!isAwsError(e, 'AccessDeniedException')) throw e;
    }
  }
  return undefined;
}

export async function listPermissionSets(
  sso: SSOAdminClient,
  instanceArn: string,
): Promise<string[]> {
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const page = await sso.send(
      new ListPermissionSetsCommand({
        InstanceArn: instanceArn,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    arns.push(...(page.PermissionSets ?? []));
    token = page.NextToken;
  } while (token);
  return arns;
}

export async function permissionSetTags(
  sso: SSOAdminClient,
  instanceArn: string,
  arn: string,
): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await sso.send(
      new ListTagsForResourceCommand({
        InstanceArn: instanceArn,
        ResourceArn: arn,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const t of page.Tags ?? [])
      if (t.Key !== undefined && t.Value !== undefined) tags[t.Key] = t.Value;
    token = page.NextToken;
  } while (token);
  return tags;
}

/** The inline policy as a string; '' when there is none. */
export async function inlinePolicy(
  sso: SSOAdminClient,
  instanceArn: string,
  arn: string,
): Promise<string> {
  const { InlinePolicy } = await sso.send(
    new GetInlinePolicyForPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
  );
  return InlinePolicy ?? '';
}

/** Why the permission set already there is not this grant, or undefined when it is. */
async function notThisGrant(
  sso: SSOAdminClient,
  grant: PermissionSetGrant,
  arn: string,
): Promise<string | undefined> {
  const tags = await permissionSetTags(sso, grant.instanceArn, arn);
  for (const key of IDENTITY_TAGS) {
    const want = grant.tags.find((t) => t.Key === key)?.Value;
    if (tags[key] !== want) {
      return `permission set ${grant.name} (${arn}) already exists with ${key}=${tags[key] ?? '(none)'}, not ${want ?? '(none)'}: a request is granted once; use a new request file`;
    }
  }
  const { PermissionSet } = await sso.send(
    new DescribePermissionSetCommand({ InstanceArn: grant.instanceArn, PermissionSetArn: arn }),
  );
  // A re-run later in the window asks for a shorter session; longer than the grant needs is not ours.
  const hours = sessionHours(PermissionSet?.SessionDuration ?? 'PT1H');
  if (!(hours <= Math.max(sessionHours(grant.sessionDuration), hoursOf(grant)))) {
    return `permission set ${grant.name} (${arn}) allows ${PermissionSet?.SessionDuration} sessions, longer than this grant's window: refusing to assign it`;
  }
  const current = await inlinePolicy(sso, grant.instanceArn, arn);
  if (current !== '' && !policyDocumentsEqual(JSON.parse(current), JSON.parse(grant.document))) {
    return `permission set ${grant.name} (${arn}) exists but its inline policy differs from the approved one; refusing to assign it`;
  }
  return undefined;
}

/** The whole window's length in hours, rounded up: what the first run may have asked for. */
function hoursOf(grant: PermissionSetGrant): number {
  const tag = (key: string) => Date.parse(grant.tags.find((t) => t.Key === key)?.Value ?? '');
  return Math.min(12, Math.max(1, Math.ceil((tag('jit:expiry') - tag('jit:start')) / 3_600_000)));
}

async function assign(
  sso: SSOAdminClient,
  grant: PermissionSetGrant,
  arn: string,
  userId: string,
  poll: PollOptions,
): Promise<OperationOutcome | { status: 'ALREADY' }> {
  if (await isAssigned(sso, grant, arn, userId)) return { status: 'ALREADY' };
  const { AccountAssignmentCreationStatus } = await sso.send(
    new CreateAccountAssignmentCommand({
      InstanceArn: grant.instanceArn,
      TargetId: grant.accountId,
      TargetType: 'AWS_ACCOUNT',
      PermissionSetArn: arn,
      PrincipalType: 'USER',
      PrincipalId: userId,
    }),
  );
  return pollOperation(
    AccountAssignmentCreationStatus,
    async (id) =>
      (
        await sso.send(
          new DescribeAccountAssignmentCreationStatusCommand({
            InstanceArn: grant.instanceArn,
            AccountAssignmentCreationRequestId: id,
          }),
        )
      ).AccountAssignmentCreationStatus,
    poll,
  );
}

async function isAssigned(
  sso: SSOAdminClient,
  grant: PermissionSetGrant,
  arn: string,
  userId: string,
): Promise<boolean> {
  let token: string | undefined;
  do {
    const page = await sso.send(
      new ListAccountAssignmentsCommand({
        InstanceArn: grant.instanceArn,
        AccountId: grant.accountId,
        PermissionSetArn: arn,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    if (
      page.AccountAssignments?.some((a) => a.PrincipalType === 'USER' && a.PrincipalId === userId)
    )
      return true;
    token = page.NextToken;
  } while (token);
  return false;
}
