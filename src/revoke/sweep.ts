import type { IAMClient } from '@aws-sdk/client-iam';
import type { Account, JitConfig } from '../domain.js';
import { messageOf } from '../aws/errors.js';
import { listGrantedPolicies, revokePolicy, type GrantedPolicy } from '../aws/iam-revoke.js';
import { readPolicyDocument } from '../aws/policy-read.js';

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
    }
  | { kind: 'failed'; account: Account; policy?: GrantedPolicy; error: string }
  /** Under `/jit/` without a readable expiry: not ours to delete, but someone must look. */
  | { kind: 'unmanaged'; account: Account; policy: GrantedPolicy };

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
      if (!early && policy.expiry.getTime() > run.now.getTime()) continue;
      const document = await readPolicyDocument(iam, policy.arn, policy.defaultVersionId).catch(
        () => undefined,
      );
      const outcome = await revokePolicy(iam, policy.arn);
      decisions.push(
        outcome.ok
          ? {
              kind: 'revoked',
              account,
              policy,
              reason: early ? 'early' : 'expired',
              detached: outcome.detached,
              document,
            }
          : { kind: 'failed', account, policy, error: outcome.reason },
      );
    }
  }
  return decisions;
}
