import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AthenaEngine } from './athena/engine.js';
import { athenaOperations } from './athena/operations.js';
import { evaluate, type ContextValues } from './authz/evaluate.js';
import { Clock } from './clock.js';
import { lookupEvents } from './cloudtrail/lookup-events.js';
import { RateLimiter } from './cloudtrail/throttle.js';
import { Dispatcher, type OperationTable } from './dispatch.js';
import { Faults } from './faults.js';
import { iamOperations } from './iam/operations.js';
import { seedDefaults } from './seed.js';
import { ssoAdminOperations } from './sso/admin-operations.js';
import { IdentityCenter } from './sso/center.js';
import { identityStoreOperations } from './sso/identitystore-operations.js';
import { AwsState, DEFAULT_ACCOUNT, type Credential } from './state.js';
import { JwksResolver } from './sts/jwks.js';
import { stsOperations } from './sts/operations.js';

export interface AwsEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Time as AWS sees it; a running clock by default. */
  clock?: Clock;
  /** The default account; others can be added through `state`. */
  accountId?: string;
}

export interface AwsEmulator {
  /** The SDK clients' `endpoint` for IAM, STS and CloudTrail alike. */
  url: string;
  state: AwsState;
  clock: Clock;
  faults: Faults;
  /**
   * IAM Identity Center: one instance owned by the default account, its identity store (seed
   * users and groups here), permission sets, assignments and their asynchronous requests.
   */
  identityCenter: IdentityCenter;
  /** The seeded administrator's key: authenticated, never refused by authorisation. */
  admin: Credential;
  /** `endpoint`, `region` and `credentials` for an SDK client (the admin's unless given). */
  clientConfig(credential?: Pick<Credential, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  };
  /**
   * Would this principal (user, role or role session ARN) be allowed this action now, by its
   * identity policies at the emulator's time?
   */
  authorize(request: {
    principalArn: string;
    action: string;
    resource: string;
    context?: ContextValues;
  }): 'allowed' | 'denied';
  close(): Promise<void>;
}

/** Starts IAM, STS, CloudTrail and Athena on one loopback port. */
export async function startAwsEmulator(opts: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
  const clock = opts.clock ?? new Clock();
  const state = new AwsState(clock, opts.accountId ?? DEFAULT_ACCOUNT);
  const faults = new Faults();
  const admin = seedDefaults(state);
  // Athena runs SQL on DuckDB over the CloudTrail events, loaded on the first query.
  const athena = new AthenaEngine(state.cloudtrail);
  const identityCenter = new IdentityCenter(state, clock);
  const operations = {
    iam: iamOperations,
    sts: stsOperations(new JwksResolver()),
    cloudtrail: { LookupEvents: lookupEvents(new RateLimiter(clock)) },
    athena: athenaOperations(athena),
    sso: ssoAdminOperations(identityCenter),
    identitystore: identityStoreOperations(identityCenter),
  } as unknown as OperationTable;
  const dispatcher = new Dispatcher(state, clock, faults, operations);

  const server = createServer((req, res) => void dispatcher.handle(req, res));
  // Loopback only: seeded admin keys are printed and must not face a network.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    state,
    clock,
    faults,
    identityCenter,
    admin,
    clientConfig: (credential = admin) => ({
      endpoint: url,
      region: 'us-east-1',
      credentials: {
        accessKeyId: credential.accessKeyId,
        secretAccessKey: credential.secretAccessKey,
        ...(credential.sessionToken ? { sessionToken: credential.sessionToken } : {}),
      },
    }),
    authorize: ({ principalArn, action, resource, context }) =>
      evaluate(state, clock, { arn: principalArn }, { action, resource, context }) === 'Allowed'
        ? 'allowed'
        : 'denied',
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }).finally(() => athena.close()),
  };
}
