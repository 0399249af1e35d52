import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { policyDocumentsEqual } from '../policy/canonical.js';
import { parsePrincipalArn, policyArn } from './arn.js';
import { policyTags, readPolicyDocument } from './policy-read.js';
import { isAwsError, messageOf } from './errors.js';

/** What the grant step asks IAM for: one managed policy, attached to one principal. */
export interface PolicyGrant {
  accountId: string;
  principalArn: string;
  name: string;
  path: string;
  description: string;
  /** Minified policy JSON, time-bound by its own conditions. */
  document: string;
  tags: { Key: string; Value: string }[];
}

export type GrantOutcome =
  | { ok: true; policyArn: string; created: boolean; attached: boolean }
  /**
   * `conflict`: what is in IAM is not this grant (or the principal is not in the account); only
   * a person can settle it. `aws-error`: a failed call, which a later run retries.
   */
  | { ok: false; policyArn: string; reason: string; kind: 'conflict' | 'aws-error' };

/** Tags that identify a grant: if these match, an existing policy is this grant, re-run. */
const IDENTITY_TAGS = ['jit:request', 'jit:principal', 'jit:start', 'jit:expiry'];

/**
 * Creates the policy and attaches it, converging when a previous run (or a retried call whose
 * response was lost) already did part of it. An existing policy that is not this grant, or
 * whose document differs, is refused rather than touched.
 */
export async function applyGrant(iam: IAMClient, grant: PolicyGrant): Promise<GrantOutcome> {
  const arn = policyArn(grant.accountId, grant.path, grant.name);
  const principal = parsePrincipalArn(grant.principalArn);
  if (!principal || principal.accountId !== grant.accountId) {
    return {
      ok: false,
      policyArn: arn,
      reason: `${grant.principalArn} is not an IAM user or role in ${grant.accountId}`,
      kind: 'conflict',
    };
  }
  try {
    const created = await createOrAdopt(iam, grant, arn);
    if (!created.ok) return created;
    const attached = await attachOnce(iam, principal, arn);
    return { ok: true, policyArn: arn, created: created.created, attached };
  } catch (e) {
    return { ok: false, policyArn: arn, reason: messageOf(e), kind: 'aws-error' };
  }
}

async function createOrAdopt(
  iam: IAMClient,
  grant: PolicyGrant,
  arn: string,
): Promise<{ ok: true; created: boolean } | Extract<GrantOutcome, { ok: false }>> {
  try {
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: grant.name,
        Path: grant.path,
        PolicyDocument: grant.document,
        Description: grant.description,
        Tags: grant.tags,
      }),
    );
    return { ok: true, created: true };
  } catch (e) {
    if (!isAwsError(e, 'EntityAlreadyExists')) throw e;
  }
  const mismatch = await existingMismatch(iam, grant, arn);
  return mismatch === undefined
    ? { ok: true, created: false }
    : { ok: false, policyArn: arn, reason: mismatch, kind: 'conflict' };
}

/** Why the policy already there is not this grant, or undefined when it is. */
async function existingMismatch(
  iam: IAMClient,
  grant: PolicyGrant,
  arn: string,
): Promise<string | undefined> {
  const tags = await policyTags(iam, arn);
  for (const key of IDENTITY_TAGS) {
    const want = grant.tags.find((t) => t.Key === key)?.Value;
    const have = tags[key];
    if (want !== have) {
      return `${arn} already exists with ${key}=${have ?? '(none)'}, not ${want ?? '(none)'}: a request id is granted once; use a new request file`;
    }
  }
  // A failed read throws: the grant is retried next run, not refused as a different document.
  const document = await readPolicyDocument(iam, arn);
  if (!policyDocumentsEqual(document, JSON.parse(grant.document))) {
    return `${arn} exists but its document differs from the approved one; refusing to attach it`;
  }
  return undefined;
}

/** Attaches unless already attached; returns whether this run attached it. */
async function attachOnce(
  iam: IAMClient,
  principal: NonNullable<ReturnType<typeof parsePrincipalArn>>,
  arn: string,
): Promise<boolean> {
  if (await isAttached(iam, principal, arn)) return false;
  if (principal.kind === 'user') {
    await iam.send(new AttachUserPolicyCommand({ UserName: principal.name, PolicyArn: arn }));
  } else {
    await iam.send(new AttachRolePolicyCommand({ RoleName: principal.name, PolicyArn: arn }));
  }
  return true;
}

async function isAttached(
  iam: IAMClient,
  principal: NonNullable<ReturnType<typeof parsePrincipalArn>>,
  arn: string,
): Promise<boolean> {
  let marker: string | undefined;
  do {
    const page =
      principal.kind === 'user'
        ? await iam.send(
            new ListAttachedUserPoliciesCommand({
              UserName: principal.name,
              PathPrefix: '/jit/',
              ...(marker ? { Marker: marker } : {}),
            }),
          )
        : await iam.send(
            new ListAttachedRolePoliciesCommand({
              RoleName: principal.name,
              PathPrefix: '/jit/',
              ...(marker ? { Marker: marker } : {}),
            }),
          );
    if (page.AttachedPolicies?.some((p) => p.PolicyArn === arn)) return true;
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return false;
}
