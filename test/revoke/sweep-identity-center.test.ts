/**
 * The sweep over both backends: jit permission sets are found by their jit:managed tag, expired
 * and early-revoked ones removed, live ones and other permission sets left alone; a failure in
 * one is reported without stopping the others.
 */
import { CreatePermissionSetCommand, ListPermissionSetsCommand } from '@aws-sdk/client-sso-admin';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import { planPermissionSet } from '../../src/aws/permission-set.js';
import { applySsoGrant, type IdentityCenterClients } from '../../src/aws/sso-grant.js';
import type { PollOptions } from '../../src/aws/sso-status.js';
import type { JitConfig } from '../../src/domain.js';
import { buildPolicy } from '../../src/policy/build.js';
import { sweepGrants } from '../../src/revoke/sweep.js';
import { identityStore, ssoAdmin } from '../emulators/aws/identity-center-world.js';
import { iamClient } from '../emulators/aws/world.js';

const MEMBER = '210987654321';
const T0 = new Date('2026-11-25T09:00:00Z');
const MIN = 60_000;
const POLL: PollOptions = { attempts: 6, firstDelayMs: 1, sleep: async () => {} };

let emu: AwsEmulator;
let clock: Clock;
let clients: IdentityCenterClients;
let config: JitConfig;

beforeEach(async () => {
  clock = new Clock(T0);
  emu = await startAwsEmulator({ clock });
  emu.state.addAccount(MEMBER);
  emu.identityCenter.addUser({ userName: 'octocat@acme.example' });
  clients = {
    ssoAdmin: ssoAdmin(emu, undefined, 3),
    identityStore: identityStore(emu, undefined, 3),
  };
  const identityCenter = {
    instanceArn: emu.identityCenter.instanceArn,
    identityStoreId: emu.identityCenter.identityStoreId,
    region: 'us-east-1',
    brokerRole: 'arn:aws:iam::123456789012:role/jit-access/jit-access-sso-broker',
    users: { octocat: 'octocat@acme.example' },
  };
  config = {
    version: 1,
    defaults: { maxDurationMinutes: 480, approvals: 1, runbook: 'runbooks/requester-context.yaml' },
    accounts: {
      prod: {
        alias: 'prod',
        id: MEMBER,
        brokerRole: `arn:aws:iam::${MEMBER}:role/jit-access/jit-access-broker`,
        regions: ['us-east-1'],
        backend: 'identity-center',
      },
    },
    principals: {},
    identityCenter,
    profiles: {},
    custom: { allowed: true, approvals: 1, approvers: [], maxDurationMinutes: 480 },
    denyActions: [],
    highRisk: { policy: 'deny', extraApprovals: 1 },
    ticket: { required: false },
    lifecycle: { remindBeforeMinutes: 0, closeUnmergedAfterDays: 0 },
  };
});
afterEach(() => emu.close());

async function granted(requestId: string, pr: number, minutes: number): Promise<string> {
  const window = { start: T0, expiry: new Date(T0.getTime() + minutes * MIN) };
  const policy = buildPolicy({
    requestId,
    requester: 'octocat',
    principalArn: 'octocat@acme.example',
    statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::logs/*'] }],
    window,
    pr,
  });
  if (!policy.ok) throw new Error('policy');
  const outcome = await applySsoGrant(
    clients,
    planPermissionSet({
      policy: policy.value,
      identityCenter: config.identityCenter!,
      userName: 'octocat@acme.example',
      accountId: MEMBER,
      requestId,
      window,
      now: T0,
      pr,
    }),
    POLL,
  );
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.permissionSetArn;
}

const remaining = async () =>
  (
    await clients.ssoAdmin.send(
      new ListPermissionSetsCommand({ InstanceArn: emu.identityCenter.instanceArn }),
    )
  ).PermissionSets ?? [];

const sweep = (early?: { prs: number[] }) =>
  sweepGrants({
    config,
    now: clock.now(),
    iamFor: async () => iamClient(emu),
    identityCenterFor: async () => clients,
    poll: POLL,
    ...(early ? { early } : {}),
  });

test('expired permission sets are removed; live ones and foreign ones stay', async () => {
  const short = await granted('octocat-short', 1, 30);
  const long = await granted('octocat-long', 2, 120);
  const { PermissionSet } = await clients.ssoAdmin.send(
    new CreatePermissionSetCommand({ InstanceArn: emu.identityCenter.instanceArn, Name: 'Admins' }),
  );
  clock.set(new Date(T0.getTime() + 31 * MIN));
  const decisions = await sweep();
  expect(decisions).toEqual([
    expect.objectContaining({
      kind: 'revoked',
      reason: 'expired',
      backend: 'identity-center',
      account: expect.objectContaining({ alias: 'prod' }),
      policy: expect.objectContaining({ arn: short, requestId: 'octocat-short' }),
      document: expect.objectContaining({ Version: '2012-10-17' }),
    }),
  ]);
  expect((await remaining()).sort()).toEqual([long, PermissionSet!.PermissionSetArn].sort());
});

test('an early revoke ends only its own PR grant', async () => {
  await granted('octocat-one', 11, 120);
  const two = await granted('octocat-two', 12, 120);
  const decisions = await sweep({ prs: [11] });
  expect(
    decisions.map((d) => [d.kind, d.kind === 'revoked' ? d.reason : '', d.policy?.requestId]),
  ).toEqual([['revoked', 'early', 'octocat-one']]);
  expect(await remaining()).toEqual([two]);
});

test('a failure on one permission set is reported and the others are still swept', async () => {
  await granted('octocat-aaa', 21, 30);
  await granted('octocat-bbb', 22, 30);
  clock.set(new Date(T0.getTime() + 31 * MIN));
  emu.faults.inject({ action: 'DeleteAccountAssignment', kind: '5xx', times: 3 });
  const first = await sweep();
  expect(first.map((d) => d.kind).sort()).toEqual(['failed', 'revoked']);
  const second = await sweep();
  expect(second.map((d) => d.kind)).toEqual(['revoked']);
  expect(await remaining()).toEqual([]);
});

test('an unreachable Identity Center is one reported failure, not a crash of the sweep', async () => {
  const decisions = await sweepGrants({
    config,
    now: clock.now(),
    iamFor: async () => iamClient(emu),
    identityCenterFor: async () => {
      throw new Error('AssumeRoleWithWebIdentity: AccessDenied');
    },
  });
  expect(decisions).toEqual([
    expect.objectContaining({ kind: 'failed', error: 'AssumeRoleWithWebIdentity: AccessDenied' }),
  ]);
});
