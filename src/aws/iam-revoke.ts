import {
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  type IAMClient,
  type Policy,
} from '@aws-sdk/client-iam';
import { isAwsError, messageOf } from './errors.js';
import { policyTags } from './policy-read.js';

/** A `/jit/` policy as the sweep sees it: identity and window come from its tags. */
export interface GrantedPolicy {
  arn: string;
  name: string;
  tags: Record<string, string>;
  requestId?: string;
  expiry?: Date;
  /** The default version ListPolicies reported, to read the document without a GetPolicy. */
  defaultVersionId?: string;
  /**
   * Why its tags could not be read (the listing itself succeeded). Such a policy is neither
   * judged nor skipped silently: the sweep reports it failed and the next run reads it again.
   */
  unreadable?: string;
}

/** Every customer-managed policy under `/jit/`, with its tags. */
export async function listGrantedPolicies(iam: IAMClient): Promise<GrantedPolicy[]> {
  const policies: Policy[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(
      new ListPoliciesCommand({
        Scope: 'Local',
        PathPrefix: '/jit/',
        ...(marker ? { Marker: marker } : {}),
      }),
    );
    policies.push(...(page.Policies ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);

  const out: GrantedPolicy[] = [];
  for (const p of policies) {
    if (!p.Arn || !p.PolicyName) continue;
    // One policy whose tags cannot be read (a throttled call after the SDK's retries) must not
    // hide every other policy from the sweep: with a thousand grants, one such call per run is
    // the norm under load, and the whole sweep would never make progress.
    let tags: Record<string, string>;
    try {
      tags = await policyTags(iam, p.Arn);
    } catch (e) {
      // Deleted since the listing (an early revoke, a concurrent run): nothing left to sweep.
      if (isAwsError(e, 'NoSuchEntity')) continue;
      out.push({ arn: p.Arn, name: p.PolicyName, tags: {}, unreadable: messageOf(e) });
      continue;
    }
    const expiry = tags['jit:expiry'] ? new Date(tags['jit:expiry']) : undefined;
    out.push({
      arn: p.Arn,
      name: p.PolicyName,
      tags,
      ...(tags['jit:request'] ? { requestId: tags['jit:request'] } : {}),
      ...(p.DefaultVersionId ? { defaultVersionId: p.DefaultVersionId } : {}),
      ...(expiry && !Number.isNaN(expiry.getTime()) ? { expiry } : {}),
    });
  }
  return out;
}

export type RevokeOutcome =
  | { ok: true; arn: string; detached: string[]; alreadyGone: boolean }
  | { ok: false; arn: string; detached: string[]; reason: string };

/**
 * Detaches the policy from every user, role and group, then deletes it (and its non-default
 * versions, should it have any). Each step tolerates the previous run having done it, so a
 * failed sweep is simply finished by the next one.
 */
export async function revokePolicy(iam: IAMClient, arn: string): Promise<RevokeOutcome> {
  const detached: string[] = [];
  try {
    let marker: string | undefined;
    do {
      const page = await iam.send(
        new ListEntitiesForPolicyCommand({ PolicyArn: arn, ...(marker ? { Marker: marker } : {}) }),
      );
      for (const u of page.PolicyUsers ?? []) {
        await tolerateGone(
          iam.send(new DetachUserPolicyCommand({ UserName: u.UserName, PolicyArn: arn })),
        );
        detached.push(`user/${u.UserName}`);
      }
      for (const r of page.PolicyRoles ?? []) {
        await tolerateGone(
          iam.send(new DetachRolePolicyCommand({ RoleName: r.RoleName, PolicyArn: arn })),
        );
        detached.push(`role/${r.RoleName}`);
      }
      for (const g of page.PolicyGroups ?? []) {
        await tolerateGone(
          iam.send(new DetachGroupPolicyCommand({ GroupName: g.GroupName, PolicyArn: arn })),
        );
        detached.push(`group/${g.GroupName}`);
      }
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);

    try {
      await deletePolicy(iam, arn);
    } catch (e) {
      // A DeletePolicy whose response was lost may have deleted the policy, and the SDK's retries
      // then failed for another reason (throttled, 5xx). The next sweep no longer lists it, so
      // its revoke would never be reported (no PR comment, no usage report): ask IAM.
      if (!isAwsError(e, 'NoSuchEntity') && (await isGone(iam, arn)))
        return { ok: true, arn, detached, alreadyGone: false };
      throw e;
    }
    return { ok: true, arn, detached, alreadyGone: false };
  } catch (e) {
    if (isAwsError(e, 'NoSuchEntity')) return { ok: true, arn, detached, alreadyGone: true };
    return { ok: false, arn, detached, reason: messageOf(e) };
  }
}

/**
 * DeletePolicy, and only when IAM refuses it for other versions, those versions first. The
 * broker cannot CreatePolicyVersion, so a jit policy has one version and listing them on every
 * revoke was a call spent for nothing; one given versions by hand costs two calls more. A
 * conflict that is an attachment (made since the listing) fails the second DeletePolicy too,
 * and the revoke is reported failed, as before.
 */
async function deletePolicy(iam: IAMClient, arn: string): Promise<void> {
  try {
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    return;
  } catch (e) {
    if (!isAwsError(e, 'DeleteConflict')) throw e;
  }
  const { Versions } = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
  for (const v of Versions ?? []) {
    if (v.IsDefaultVersion || !v.VersionId) continue;
    await tolerateGone(
      iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v.VersionId })),
    );
  }
  await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
}

/** True only when IAM says the policy does not exist; any other answer or failure is false. */
async function isGone(iam: IAMClient, arn: string): Promise<boolean> {
  try {
    await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    return false;
  } catch (e) {
    return isAwsError(e, 'NoSuchEntity');
  }
}

/** A detach or delete whose target is already gone has done its job. */
async function tolerateGone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (e) {
    if (!isAwsError(e, 'NoSuchEntity')) throw e;
  }
}
