import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';

/** Temporary credentials, in the shape every @aws-sdk client accepts. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration?: Date;
}

/**
 * Exchanges a GitHub Actions OIDC token for short-lived credentials of a role (the broker, or the
 * read-only runbook role). No long-lived AWS secret exists anywhere: the role's trust policy
 * decides which workflow may.
 */
export async function assumeRoleWithOidc(input: {
  roleArn: string;
  webIdentityToken: string;
  sessionName: string;
  region: string;
  /** Fifteen minutes, STS's minimum: a grant run needs seconds. */
  durationSeconds?: number;
  /** STS somewhere other than AWS (the emulators of `jit demo`); AWS's own when absent. */
  endpoint?: string;
}): Promise<AwsCredentials> {
  const sts = new STSClient({
    region: input.region,
    ...(input.endpoint ? { endpoint: input.endpoint } : {}),
  });
  const { Credentials: c } = await sts.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: input.roleArn,
      RoleSessionName: sessionName(input.sessionName),
      WebIdentityToken: input.webIdentityToken,
      DurationSeconds: input.durationSeconds ?? 900,
    }),
  );
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
    throw new Error(`STS returned no credentials for ${input.roleArn}`);
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    ...(c.Expiration ? { expiration: c.Expiration } : {}),
  };
}

/** STS allows `[\w+=,.@-]{2,64}`; the name shows up in CloudTrail, so keep it meaningful. */
const sessionName = (name: string): string =>
  name
    .replace(/[^\w+=,.@-]/g, '-')
    .slice(0, 64)
    .padEnd(2, '-');
