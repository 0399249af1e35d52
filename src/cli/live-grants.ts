/**
 * What `jit status` reads: every jit-access grant still in place, from AWS itself (the tags the
 * grant wrote), not from the decision log. A grant AWS still holds is access someone may still
 * have, whatever the log says.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { ListAccountAssignmentsCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { messageOf } from '../aws/errors.js';
import { listGrantedPolicies, type GrantedPolicy } from '../aws/iam-revoke.js';
import { listJitPermissionSets } from '../aws/sso-revoke.js';
import type { Account, GrantBackend, IdentityCenter } from '../domain.js';

export interface LiveGrant {
  backend: GrantBackend;
  /** The config's alias, or `account <id>` for a permission set tagged for an unknown account. */
  account: string;
  accountId: string;
  /** The policy ARN (iam) or the permission set ARN (identity-center). */
  arn: string;
  request?: string;
  pr?: number;
  /** The IAM principal ARN, or the Identity Center user name. */
  principal?: string;
  start?: Date;
  expiry?: Date;
  /** Identity Center: how many assignments the permission set still has in its account. */
  assignments?: number;
}

/** A place that could not be read: its grants are unknown, not absent. */
export interface Unreadable {
  scope: string;
  error: string;
}

export interface LiveGrants {
  grants: LiveGrant[];
  unreadable: Unreadable[];
}

/** One account's `/jit/` policies, read with credentials for that account. */
export async function iamGrants(iam: IAMClient, account: Account): Promise<LiveGrants> {
  try {
    const policies = await listGrantedPolicies(iam);
    return {
      grants: policies.filter((p) => !p.unreadable).map((p) => fromTags(p, 'iam', account)),
      unreadable: policies
        .filter((p) => p.unreadable !== undefined)
        .map((p) => ({ scope: p.arn, error: p.unreadable! })),
    };
  } catch (e) {
    return { grants: [], unreadable: [{ scope: `${account.alias} (IAM)`, error: messageOf(e) }] };
  }
}

/**
 * The instance's jit permission sets (tag jit:managed=true) and, for each, its assignments in
 * the account it was granted in. `accounts` names the config's accounts by id; `only` keeps the
 * sets granted in those ids (an operator asking about one account).
 */
export async function identityCenterGrants(
  sso: SSOAdminClient,
  ic: IdentityCenter,
  accounts: ReadonlyMap<string, Account>,
  only?: ReadonlySet<string>,
): Promise<LiveGrants> {
  let sets: GrantedPolicy[];
  try {
    sets = await listJitPermissionSets(sso, ic.instanceArn);
  } catch (e) {
    return { grants: [], unreadable: [{ scope: 'identity-center', error: messageOf(e) }] };
  }
  const out: LiveGrants = { grants: [], unreadable: [] };
  for (const set of sets) {
    if (set.unreadable !== undefined) {
      out.unreadable.push({ scope: set.arn, error: set.unreadable });
      continue;
    }
    const accountId = set.tags['jit:account'] ?? '';
    if (only && !only.has(accountId)) continue;
    const account = accounts.get(accountId) ?? {
      alias: `account ${accountId || '?'}`,
      id: accountId,
      brokerRole: ic.brokerRole,
      regions: [ic.region],
    };
    const grant = fromTags(set, 'identity-center', account);
    try {
      grant.assignments = accountId ? await assignmentCount(sso, ic, set.arn, accountId) : 0;
    } catch (e) {
      out.unreadable.push({ scope: `assignments of ${set.arn}`, error: messageOf(e) });
    }
    out.grants.push(grant);
  }
  return out;
}

function fromTags(p: GrantedPolicy, backend: GrantBackend, account: Account): LiveGrant {
  const start = p.tags['jit:start'] ? new Date(p.tags['jit:start']) : undefined;
  const pr = Number(p.tags['jit:pr']);
  return {
    backend,
    account: account.alias,
    accountId: account.id,
    arn: p.arn,
    ...(p.requestId ? { request: p.requestId } : {}),
    ...(Number.isInteger(pr) && pr > 0 ? { pr } : {}),
    ...(p.tags['jit:principal'] ? { principal: p.tags['jit:principal'] } : {}),
    ...(start && !Number.isNaN(start.getTime()) ? { start } : {}),
    ...(p.expiry ? { expiry: p.expiry } : {}),
  };
}

async function assignmentCount(
  sso: SSOAdminClient,
  ic: IdentityCenter,
  permissionSetArn: string,
  accountId: string,
): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await sso.send(
      new ListAccountAssignmentsCommand({
        InstanceArn: ic.instanceArn,
        AccountId: accountId,
        PermissionSetArn: permissionSetArn,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    count += page.AccountAssignments?.length ?? 0;
    token = page.NextToken;
  } while (token);
  return count;
}
