import type { IAMClient } from '@aws-sdk/client-iam';
import type { Account, GrantBackend, IdentityCenter, JitConfig } from '../domain.js';
import { messageOf } from '../aws/errors.js';
import { listGrantedPolicies, revokePolicy, type GrantedPolicy } from '../aws/iam-revoke.js';
import { readPolicyDocument } from '../aws/policy-read.js';
import { inlinePolicy, type IdentityCenterClients } from '../aws/sso-grant.js';
import { listJitPermissionSets, revokePermissionSet } from '../aws/sso-revoke.js';
import type { PollOptions } from '../aws/sso-status.js';
import { tell, type Notify, type NotifyEvent } from '../notify/event.js';

export type RevokeReason = 'expired' | 'early';

/** What the sweep did with one `/jit/` policy. */
export type RevokeDecision =
  | {
      kind: 'revoked';
      account: Account;
      policy: GrantedPolicy;
      reason: RevokeReason;
      detached: string[];
      /** The document as it was just before deletion; undefined if it could not be read. */
      document: unknown;
      /** Absent for iam; `identity-center` when `policy` is a permission set. */
      backend?: GrantBackend;
    }
  | { kind: 'failed'; account: Account; policy?: GrantedPolicy; error: string }
  /** Under `/jit/` without a readable expiry: not ours to delete, but someone must look. */
  | { kind: 'unmanaged'; account: Account; policy: GrantedPolicy };

/** A grant the sweep found still inside its window: left alone. */
export interface LiveGrant {
  account: Account;
  policy: GrantedPolicy & { expiry: Date; requestId: string };
  /** Absent for iam. */
  backend?: GrantBackend;
}

export interface RevokeRun {
  config: JitConfig;
  now: Date;
  iamFor: (account: Account) => Promise<IAMClient>;
  /**
   * Revoke now, whatever the expiry: the grants of these PRs (each `/revoke` ends its own PR's
   * grant and no other), one request by id (an operator's `jit revoke --request`), or every
   * jit-access grant (the `jit revoke --all` kill switch).
   */
  early?: { prs: readonly number[] } | { requestId: string } | { all: true };
  /** SSO Admin as the Identity Center broker role; without it no permission set is swept. */
  identityCenterFor?: (identityCenter: IdentityCenter) => Promise<IdentityCenterClients>;
  /**
   * `configured`: only permission sets granted in the config's accounts (an operator's run for
   * one account). `all` (default): every jit permission set of the instance, so a grant in an
   * account since removed from the config still ends.
   */
  identityCenterScope?: 'all' | 'configured';
  poll?: PollOptions;
  /** Told of each removal; bounded and never failing (src/notify). */
  notify?: Notify;
  /** Told of every grant left in place because its window is still open (for reminders). */
  live?: (grant: LiveGrant) => void;
}

function isEarly(early: RevokeRun['early'], policy: GrantedPolicy): boolean {
  if (early === undefined) return false;
  if ('all' in early) return true;
  if ('prs' in early) return early.prs.includes(Number(policy.tags['jit:pr']));
  return policy.requestId === early.requestId;
}

/**
 * Every account's `/jit/` policies: the expired ones (and an early-revoked one) are detached and
 * deleted. A failure is reported and left in place, so the next scheduled run retries it; the
 * policy's own time conditions have already stopped it working either way.
 */
export async function sweepGrants(run: RevokeRun): Promise<RevokeDecision[]> {
  const decisions: RevokeDecision[] = [];
  for (const account of Object.values(run.config.accounts)) {
    let policies: GrantedPolicy[];
    let iam: IAMClient;
    try {
      iam = await run.iamFor(account);
      policies = await listGrantedPolicies(iam);
    } catch (e) {
      decisions.push({ kind: 'failed', account, error: messageOf(e) });
      continue;
    }
    for (const policy of policies) {
      if (policy.unreadable !== undefined) {
        decisions.push({ kind: 'failed', account, policy, error: policy.unreadable });
        continue;
      }
      const early = isEarly(run.early, policy);
      if (!policy.expiry || !policy.requestId) {
        decisions.push({ kind: 'unmanaged', account, policy });
        continue;
      }
      if (!early && policy.expiry.getTime() > run.now.getTime()) {
        run.live?.({
          account,
          policy: { ...policy, expiry: policy.expiry, requestId: policy.requestId },
        });
        continue;
      }
      const document = await readPolicyDocument(iam, policy.arn, policy.defaultVersionId).catch(
        () => undefined,
      );
      const outcome = await revokePolicy(iam, policy.arn);
      const decision: RevokeDecision = outcome.ok
        ? {
            kind: 'revoked',
            account,
            policy,
            reason: early ? 'early' : 'expired',
            detached: outcome.detached,
            document,
          }
        : { kind: 'failed', account, policy, error: outcome.reason };
      decisions.push(decision);
      if (decision.kind === 'revoked') await tell(run.notify, removalEvent(decision));
    }
  }
  decisions.push(...(await sweepIdentityCenter(run)));
  return decisions;
}

/**
 * The instance's jit permission sets (tag jit:managed=true), judged exactly as IAM policies are:
 * expired or early-revoked ones lose their assignments and are deleted; a failure is reported
 * and the next run retries it.
 */
async function sweepIdentityCenter(run: RevokeRun): Promise<RevokeDecision[]> {
  const ic = run.config.identityCenter;
  if (!ic || !run.identityCenterFor) return [];
  const byId = new Map(Object.values(run.config.accounts).map((a) => [a.id, a]));
  // The instance itself stands for the account while nothing is known of the permission set.
  const instance: Account = {
    alias: 'identity-center',
    id: ic.instanceArn,
    brokerRole: ic.brokerRole,
    regions: [ic.region],
    backend: 'identity-center',
  };
  const accountOf = (id: string | undefined): Account | undefined =>
    id === undefined ? undefined : (byId.get(id) ?? { ...instance, alias: `account ${id}`, id });
  const decisions: RevokeDecision[] = [];
  let sets: GrantedPolicy[];
  let sso: IdentityCenterClients['ssoAdmin'];
  try {
    sso = (await run.identityCenterFor(ic)).ssoAdmin;
    sets = await listJitPermissionSets(sso, ic.instanceArn);
  } catch (e) {
    return [{ kind: 'failed', account: instance, error: messageOf(e) }];
  }
  for (const set of sets) {
    const account = accountOf(set.tags['jit:account']) ?? instance;
    if (set.unreadable !== undefined) {
      decisions.push({ kind: 'failed', account, policy: set, error: set.unreadable });
      continue;
    }
    if (run.identityCenterScope === 'configured' && !byId.has(set.tags['jit:account'] ?? ''))
      continue;
    if (!set.expiry || !set.requestId) {
      decisions.push({ kind: 'unmanaged', account, policy: set });
      continue;
    }
    const early = isEarly(run.early, set);
    if (!early && set.expiry.getTime() > run.now.getTime()) {
      run.live?.({
        account,
        policy: { ...set, expiry: set.expiry, requestId: set.requestId },
        backend: 'identity-center',
      });
      continue;
    }
    const document = await inlinePolicy(sso, ic.instanceArn, set.arn)
      .then((text) => (text === '' ? undefined : (JSON.parse(text) as unknown)))
      .catch(() => undefined);
    const outcome = await revokePermissionSet(sso, ic.instanceArn, set, run.poll);
    const decision: RevokeDecision = outcome.ok
      ? {
          kind: 'revoked',
          account,
          policy: set,
          reason: early ? 'early' : 'expired',
          detached: outcome.detached,
          document,
          backend: 'identity-center',
        }
      : { kind: 'failed', account, policy: set, error: outcome.reason };
    decisions.push(decision);
    if (decision.kind === 'revoked') await tell(run.notify, removalEvent(decision));
  }
  return decisions;
}

/** A removal as a channel is told it: ended early (`revoked`) or at the end of its window. */
export function removalEvent(d: Extract<RevokeDecision, { kind: 'revoked' }>): NotifyEvent {
  const { tags } = d.policy;
  const pr = Number(tags['jit:pr']);
  const start = tags['jit:start'];
  return {
    kind: d.reason === 'early' ? 'revoked' : 'expired',
    ...(Number.isInteger(pr) && pr > 0 ? { pr } : {}),
    requestId: d.policy.requestId ?? d.policy.name,
    account: d.account.alias,
    ...(tags['jit:principal'] ? { principal: tags['jit:principal'] } : {}),
    ...(start && d.policy.expiry
      ? { window: { start, expiry: d.policy.expiry.toISOString() } }
      : {}),
    detail:
      d.reason === 'early'
        ? 'revoked before its window ended, and removed'
        : 'its window ended; removed',
  };
}
