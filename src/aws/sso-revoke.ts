/**
 * Ending an Identity Center grant: every assignment of its permission set removed (each deletion
 * followed to its end), then the inline policy and the permission set. Each step tolerates a
 * previous run having done it, so a failed sweep is finished by the next.
 */
import {
  DeleteAccountAssignmentCommand,
  DeleteInlinePolicyFromPermissionSetCommand,
  DeletePermissionSetCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  ListAccountAssignmentsCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  type AccountAssignment,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { isAwsError, messageOf } from './errors.js';
import type { GrantedPolicy, RevokeOutcome } from './iam-revoke.js';
import { MANAGED_TAG } from './permission-set.js';
import { listPermissionSets, permissionSetTags } from './sso-grant.js';
import { DEFAULT_POLL, pollOperation, type PollOptions } from './sso-status.js';

/**
 * Every permission set of the instance tagged jit:managed=true, as the sweep sees grants. One
 * whose tags cannot be read is reported (unreadable) rather than hiding the others.
 */
export async function listJitPermissionSets(
  sso: SSOAdminClient,
  instanceArn: string,
): Promise<GrantedPolicy[]> {
  const out: GrantedPolicy[] = [];
  for (const arn of await listPermissionSets(sso, instanceArn)) {
    let tags: Record<string, string>;
    try {
      tags = await permissionSetTags(sso, instanceArn, arn);
    } catch (e) {
      // Deleted since the listing (an early revoke, a concurrent run): nothing left to sweep.
      if (isAwsError(e, 'ResourceNotFoundException')) continue;
      // The deploy/ broker may read only sets tagged jit:managed (it cannot untag one), so a set
      // it may not read is the organisation's own, never a grant.
      if (isAwsError(e, 'AccessDeniedException')) continue;
      out.push({ arn, name: arn, tags: {}, unreadable: messageOf(e) });
      continue;
    }
    if (tags[MANAGED_TAG.Key] !== MANAGED_TAG.Value) continue;
    const expiry = tags['jit:expiry'] ? new Date(tags['jit:expiry']) : undefined;
    out.push({
      arn,
      name: tags['jit:request'] ? `permission set for ${tags['jit:request']}` : arn,
      tags,
      ...(tags['jit:request'] ? { requestId: tags['jit:request'] } : {}),
      ...(expiry && !Number.isNaN(expiry.getTime()) ? { expiry } : {}),
    });
  }
  return out;
}

export async function revokePermissionSet(
  sso: SSOAdminClient,
  instanceArn: string,
  set: Pick<GrantedPolicy, 'arn' | 'tags'>,
  poll: PollOptions = DEFAULT_POLL,
): Promise<RevokeOutcome> {
  const arn = set.arn;
  const detached: string[] = [];
  try {
    for (const accountId of await accountsOf(sso, instanceArn, set)) {
      for (const a of await assignments(sso, instanceArn, arn, accountId)) {
        await unassign(sso, instanceArn, arn, accountId, a, poll);
        detached.push(`${accountId}/${a.PrincipalType ?? '?'}/${a.PrincipalId ?? '?'}`);
      }
    }
    try {
      await sso.send(
        new DeleteInlinePolicyFromPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: arn,
        }),
      );
    } catch (e) {
      if (!isAwsError(e, 'ResourceNotFoundException')) throw e;
    }
    try {
      await sso.send(
        new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
      );
    } catch (e) {
      // A delete whose response was lost may have worked (its retry is then refused or not
      // found); ask before calling it a failure, or no later sweep would report it removed.
      if (!isAwsError(e, 'ResourceNotFoundException') && (await isGone(sso, instanceArn, arn)))
        return { ok: true, arn, detached, alreadyGone: false };
      throw e;
    }
    return { ok: true, arn, detached, alreadyGone: false };
  } catch (e) {
    if (isAwsError(e, 'ResourceNotFoundException'))
      return { ok: true, arn, detached, alreadyGone: true };
    return { ok: false, arn, detached, reason: messageOf(e) };
  }
}

/** Where it may be assigned: every account it is provisioned to, and the one it was granted in. */
async function accountsOf(
  sso: SSOAdminClient,
  instanceArn: string,
  set: Pick<GrantedPolicy, 'arn' | 'tags'>,
): Promise<string[]> {
  const accounts = new Set<string>();
  const tagged = set.tags['jit:account'];
  if (tagged) accounts.add(tagged);
  let token: string | undefined;
  do {
    const page = await sso.send(
      new ListAccountsForProvisionedPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: set.arn,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const id of page.AccountIds ?? []) accounts.add(id);
    token = page.NextToken;
  } while (token);
  return [...accounts];
}

async function assignments(
  sso: SSOAdminClient,
  instanceArn: string,
  arn: string,
  accountId: string,
): Promise<AccountAssignment[]> {
  const out: AccountAssignment[] = [];
  let token: string | undefined;
  do {
    const page = await sso.send(
      new ListAccountAssignmentsCommand({
        InstanceArn: instanceArn,
        AccountId: accountId,
        PermissionSetArn: arn,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    out.push(...(page.AccountAssignments ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

async function unassign(
  sso: SSOAdminClient,
  instanceArn: string,
  arn: string,
  accountId: string,
  a: AccountAssignment,
  poll: PollOptions,
): Promise<void> {
  if (!a.PrincipalId || !a.PrincipalType) return;
  const { AccountAssignmentDeletionStatus } = await sso.send(
    new DeleteAccountAssignmentCommand({
      InstanceArn: instanceArn,
      TargetId: accountId,
      TargetType: 'AWS_ACCOUNT',
      PermissionSetArn: arn,
      PrincipalType: a.PrincipalType,
      PrincipalId: a.PrincipalId,
    }),
  );
  const outcome = await pollOperation(
    AccountAssignmentDeletionStatus,
    async (id) =>
      (
        await sso.send(
          new DescribeAccountAssignmentDeletionStatusCommand({
            InstanceArn: instanceArn,
            AccountAssignmentDeletionRequestId: id,
          }),
        )
      ).AccountAssignmentDeletionStatus,
    poll,
  );
  const who = `${a.PrincipalType} ${a.PrincipalId} in ${accountId}`;
  if (outcome.status === 'FAILED')
    throw new Error(`removing the assignment of ${who} failed: ${outcome.reason}`);
  if (outcome.status === 'IN_PROGRESS')
    throw new Error(
      `removing the assignment of ${who} is still in progress (request ${outcome.requestId}): the next run finishes it`,
    );
}

/**
 * Whether the permission set is no longer in the instance. Listed, not described: a broker
 * confined to sets tagged jit:managed is refused a Describe of a deleted set (its tags are gone
 * with it), which would hide that the delete worked.
 */
async function isGone(sso: SSOAdminClient, instanceArn: string, arn: string): Promise<boolean> {
  try {
    return !(await listPermissionSets(sso, instanceArn)).includes(arn);
  } catch {
    return false;
  }
}
