import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { Account, IdentityCenter } from '../domain.js';
import { assumeRoleWithOidc, type AwsCredentials } from './credentials.js';
import type { IdentityCenterClients } from './sso-grant.js';

export interface AccountClients {
  iam(account: Account): Promise<IAMClient>;
  cloudtrail(account: Account, region: string): Promise<CloudTrailClient>;
  /** Athena in the account, as its broker role (the usage report's `cloudtrail.athena`). */
  athena(account: Account, region: string): Promise<AthenaClient>;
  /** SSO Admin and Identity Store in the instance's region, as the Identity Center broker role. */
  identityCenter(identityCenter: IdentityCenter): Promise<IdentityCenterClients>;
}

/** Whose broker role a session is for: an account's, or the Identity Center broker's. */
type Broker = { key: string; roleArn: string };
const ofAccount = (account: Account): Broker => ({
  key: account.alias,
  roleArn: account.brokerRole,
});
const ofIdentityCenter = (ic: IdentityCenter): Broker => ({
  key: `identity-center:${ic.brokerRole}`,
  roleArn: ic.brokerRole,
});

/** A session is renewed this long before it expires (the SDK's own refresh window). */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Clients for each account's broker role, assuming it only for accounts that have work. The
 * clients take a credential provider, not fixed keys: a long sweep outlives a 15-minute
 * session, so a session near its end is replaced by a fresh OIDC exchange.
 */
export function accountClients(options: {
  getIdToken: () => Promise<string>;
  region: string;
  sessionName: string;
  /** One endpoint for STS, IAM, CloudTrail and Athena (the emulators); AWS's when absent. */
  endpoint?: string;
  /** The clock sessions are judged by. */
  now?: () => number;
}): AccountClients {
  const endpoint = options.endpoint ? { endpoint: options.endpoint } : {};
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Promise<AwsCredentials>>();
  const fresh = (broker: Broker): Promise<AwsCredentials> => {
    const session = (async () =>
      assumeRoleWithOidc({
        roleArn: broker.roleArn,
        webIdentityToken: await options.getIdToken(),
        sessionName: options.sessionName,
        region: options.region,
        ...endpoint,
      }))();
    sessions.set(broker.key, session);
    // A failed exchange is tried again by the next caller rather than cached.
    session.catch(() => sessions.delete(broker.key));
    return session;
  };
  const credentials = (broker: Broker) => async (): Promise<AwsCredentials> => {
    const current = await sessions.get(broker.key)?.catch(() => undefined);
    const usable =
      current && (!current.expiration || current.expiration.getTime() - now() > RENEW_BEFORE_MS);
    return usable ? current : fresh(broker);
  };
  // Assume before building the client, so a refused exchange surfaces where the caller reports it.
  const ready = async (broker: Broker) => {
    const provider = credentials(broker);
    await provider();
    return provider;
  };
  // Each client's SDK package is loaded by its first use: the grant action never needs
  // CloudTrail or Athena, and each is a large share of a bundle's load time.
  return {
    iam: async (account) => {
      const { IAMClient } = await import('@aws-sdk/client-iam');
      return new IAMClient({
        region: options.region,
        credentials: await ready(ofAccount(account)),
        ...endpoint,
      });
    },
    cloudtrail: async (account, region) => {
      const { CloudTrailClient } = await import('@aws-sdk/client-cloudtrail');
      return new CloudTrailClient({
        region,
        credentials: await ready(ofAccount(account)),
        ...endpoint,
      });
    },
    athena: async (account, region) => {
      const { AthenaClient } = await import('@aws-sdk/client-athena');
      return new AthenaClient({
        region,
        credentials: await ready(ofAccount(account)),
        ...endpoint,
      });
    },
    identityCenter: async (ic) => {
      const [{ SSOAdminClient }, { IdentitystoreClient }] = await Promise.all([
        import('@aws-sdk/client-sso-admin'),
        import('@aws-sdk/client-identitystore'),
      ]);
      const credentials = await ready(ofIdentityCenter(ic));
      const config = { region: ic.region, credentials, ...endpoint };
      return {
        ssoAdmin: new SSOAdminClient(config),
        identityStore: new IdentitystoreClient(config),
      };
    },
  };
}
