import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import type { Account } from '../domain.js';
import { assumeRoleWithOidc, type AwsCredentials } from './credentials.js';

export interface AccountClients {
  iam(account: Account): Promise<IAMClient>;
  cloudtrail(account: Account, region: string): Promise<CloudTrailClient>;
}

/**
 * Clients for each account's broker role, assuming it once per run and only for accounts that
 * have work. The OIDC token is fetched per account: each exchange gets a fresh one.
 */
export function accountClients(options: {
  getIdToken: () => Promise<string>;
  region: string;
  sessionName: string;
  /** One endpoint for STS, IAM and CloudTrail (the emulators of `jit demo`); AWS's when absent. */
  endpoint?: string;
}): AccountClients {
  const endpoint = options.endpoint ? { endpoint: options.endpoint } : {};
  const sessions = new Map<string, Promise<AwsCredentials>>();
  const credentials = (account: Account): Promise<AwsCredentials> => {
    let session = sessions.get(account.alias);
    if (!session) {
      session = (async () =>
        assumeRoleWithOidc({
          roleArn: account.brokerRole,
          webIdentityToken: await options.getIdToken(),
          sessionName: options.sessionName,
          region: options.region,
          ...endpoint,
        }))();
      sessions.set(account.alias, session);
      // A failed exchange is tried again by the next caller rather than cached.
      session.catch(() => sessions.delete(account.alias));
    }
    return session;
  };
  return {
    iam: async (account) =>
      new IAMClient({
        region: options.region,
        credentials: await credentials(account),
        ...endpoint,
      }),
    cloudtrail: async (account, region) =>
      new CloudTrailClient({ region, credentials: await credentials(account), ...endpoint }),
  };
}
