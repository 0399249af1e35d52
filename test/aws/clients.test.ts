/**
 * A sweep can outlast its 15-minute broker session: the clients renew the session through a
 * fresh OIDC exchange instead of failing with ExpiredToken halfway through.
 */
import { jest } from '@jest/globals';
import { ListPoliciesCommand } from '@aws-sdk/client-iam';
import { accountClients } from '../../src/aws/clients.js';
import type { Account } from '../../src/domain.js';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.js';
import { installRole } from '../../src/demo/template.js';
import { role } from '../deploy/template.js';

const REPO = 'acme/access';
const ACCOUNT = '123456789012';
const T0 = new Date('2026-11-25T09:00:00Z');

let aws: AwsEmulator;
let gh: GitHubEmulator;
let account: Account;

beforeEach(async () => {
  // Only Date is faked: the emulators, the SDK and the clients all read the same moving clock.
  jest.useFakeTimers({
    doNotFake: [
      'nextTick',
      'setImmediate',
      'setTimeout',
      'setInterval',
      'clearTimeout',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
  jest.setSystemTime(T0);
  aws = await startAwsEmulator({ clock: new Clock() });
  gh = await startGitHubEmulator({ clock: () => new Date() });
  const repo = gh.state.addRepo(REPO, { files: { 'jit.config.yaml': 'version: 1\n' } });
  const provider = aws.state.addOidcProvider({ url: gh.oidc.issuer.issuer });
  const broker = role('BrokerRole', {
    GitHubOrg: 'acme',
    GitHubRepo: 'access',
    GitHubRepositoryId: String(repo.id),
    PrincipalPathPrefix: '/people/',
    'AWS::AccountId': ACCOUNT,
    'AWS::Partition': 'aws',
  });
  installRole(aws.state, broker, provider.url);
  account = {
    alias: 'prod',
    id: ACCOUNT,
    brokerRole: `arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-broker`,
    regions: ['eu-west-1'],
  };
});
afterEach(async () => {
  await gh.close();
  await aws.close();
  jest.useRealTimers();
});

const exchanges = () =>
  aws.state.cloudtrail.events.filter((e) => e.eventName === 'AssumeRoleWithWebIdentity').length;

test('a session near its end is replaced by a fresh OIDC exchange; the run goes on', async () => {
  const clients = accountClients({
    getIdToken: () =>
      gh.oidc.mint(
        {
          repository: REPO,
          eventName: 'schedule',
          workflowPath: '.github/workflows/revoke.yml',
          environment: 'jit-grant',
        },
        'sts.amazonaws.com',
      ),
    region: 'us-east-1',
    sessionName: 'jit-revoke-1',
    endpoint: aws.url,
  });
  const iam = await clients.iam(account);
  await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/jit/' }));
  expect(exchanges()).toBe(1);

  // Twelve minutes in: the 15-minute session is inside the renewal window.
  jest.setSystemTime(new Date(T0.getTime() + 12 * 60_000));
  await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/jit/' }));
  expect(exchanges()).toBe(2);

  // Forty minutes in, well past the first session's end: still working.
  jest.setSystemTime(new Date(T0.getTime() + 40 * 60_000));
  await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/jit/' }));
  expect(exchanges()).toBe(3);
  const failures = aws.state.cloudtrail.events.filter((e) => e.record.errorCode);
  expect(failures).toEqual([]);
});
