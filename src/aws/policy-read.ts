import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPolicyTagsCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';

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

/** A managed policy's current (default version) document, parsed. */
export async function readPolicyDocument(iam: IAMClient, arn: string): Promise<unknown> {
  const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
  const { PolicyVersion } = await iam.send(
    new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: Policy?.DefaultVersionId ?? 'v1' }),
  );
  // IAM returns the document URL-encoded (RFC 3986).
  return JSON.parse(decodeURIComponent(PolicyVersion?.Document ?? '{}'));
}
