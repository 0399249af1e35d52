import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPolicyTagsCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { isAwsError } from './errors.js';

/** A managed policy's tags as a map, across every page IAM returns. */
export async function policyTags(iam: IAMClient, arn: string): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  let marker: string | undefined;
  do {
    const page = await iam.send(
      new ListPolicyTagsCommand({ PolicyArn: arn, ...(marker ? { Marker: marker } : {}) }),
    );
    for (const t of page.Tags ?? [])
      if (t.Key !== undefined && t.Value !== undefined) tags[t.Key] = t.Value;
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return tags;
}

/**
 * A managed policy's current (default version) document, parsed. `listedVersion` is the default
 * version ListPolicies gave: reading it directly saves the GetPolicy call, and GetPolicyVersion
 * says whether it is still the default, so a policy changed since the listing is read afresh.
 */
export async function readPolicyDocument(
  iam: IAMClient,
  arn: string,
  listedVersion?: string,
): Promise<unknown> {
  if (listedVersion !== undefined) {
    try {
      const version = await readVersion(iam, arn, listedVersion);
      if (version.isDefault) return version.document;
    } catch (e) {
      if (!isAwsError(e, 'NoSuchEntity')) throw e;
    }
  }
  const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
  return (await readVersion(iam, arn, Policy?.DefaultVersionId ?? 'v1')).document;
}

async function readVersion(
  iam: IAMClient,
  arn: string,
  versionId: string,
): Promise<{ document: unknown; isDefault: boolean }> {
  const { PolicyVersion } = await iam.send(
    new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }),
  );
  return {
    // IAM returns the document URL-encoded (RFC 3986).
    document: JSON.parse(decodeURIComponent(PolicyVersion?.Document ?? '{}')),
    isDefault: PolicyVersion?.IsDefaultVersion === true,
  };
}
