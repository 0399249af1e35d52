/**
 * The usage report of a grant made through IAM Identity Center, end to end on the emulator: the
 * grant's own permission set, revoked by the sweep, is read back from CloudTrail (LookupEvents in
 * the target account, and Athena over the trail). Only sessions of that permission set's
 * `AWSReservedSSO_*` role count: the same user's calls through another permission set in the
 * same account and window are not this grant's, nor are another user's.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { GetRoleCommand, IAMClient, ListPoliciesCommand } from '@aws-sdk/client-iam';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import { permissionSetName, planPermissionSet } from '../../src/aws/permission-set.js';
import { applySsoGrant, type IdentityCenterClients } from '../../src/aws/sso-grant.js';
import type { PollOptions } from '../../src/aws/sso-status.js';
import type { Account, IdentityCenter, JitConfig } from '../../src/domain.js';
import { buildPolicy } from '../../src/policy/build.js';
import { collectUsage } from '../../src/revoke/collect-usage.js';
import { sweepGrants, type RevokeDecision } from '../../src/revoke/sweep.js';
import { identityStore, ssoAdmin } from '../emulators/aws/identity-center-world.js';
import { iamClient } from '../emulators/aws/world.js';

const MEMBER = '210987654321';
const T0 = new Date('2026-11-25T09:00:00Z');
const MIN = 60_000;
const POLL: PollOptions = { attempts: 6, firstDelayMs: 1, sleep: async () => {} };
const ALICE = 'alice@acme.example';
const BOB = 'bob@acme.example';

let emu: AwsEmulator;
let clock: Clock;
let clients: IdentityCenterClients;
let identityCenter: IdentityCenter;

const account = (athena: boolean): Account => ({
  alias: 'prod',
  id: MEMBER,
  brokerRole: `arn:aws:iam::${MEMBER}:role/jit-access/jit-access-broker`,
  regions: ['us-east-1'],
  backend: 'identity-center',
  ...(athena
    ? {
        cloudtrail: {
          athena: {
            database: 'default',
            table: 'cloudtrail_logs',
            region: 'us-east-1',
            outputLocation: 's3://acme-athena-results/jit-access/',
          },
        },
      }
    : {}),
});

const config = (athena: boolean): JitConfig => ({
  version: 1,
  defaults: { maxDurationMinutes: 480, approvals: 1, runbook: 'runbooks/requester-context.yaml' },
  accounts: { prod: account(athena) },
  principals: {},
  identityCenter,
  profiles: {},
  custom: { allowed: true, approvals: 1, approvers: [], maxDurationMinutes: 480 },
  denyActions: [],
  highRisk: { policy: 'deny', extraApprovals: 1 },
  ticket: { required: false },
  lifecycle: { remindBeforeMinutes: 0, closeUnmergedAfterDays: 0 },
});

beforeEach(async () => {
  clock = new Clock(T0);
  emu = await startAwsEmulator({ clock });
  emu.state.addAccount(MEMBER);
  emu.identityCenter.addUser({ userName: ALICE });
  emu.identityCenter.addUser({ userName: BOB });
  clients = {
    ssoAdmin: ssoAdmin(emu, undefined, 3),
    identityStore: identityStore(emu, undefined, 3),
  };
  identityCenter = {
    instanceArn: emu.identityCenter.instanceArn,
    identityStoreId: emu.identityCenter.identityStoreId,
    region: 'us-east-1',
    brokerRole: 'arn:aws:iam::123456789012:role/jit-access/jit-access-sso-broker',
    users: {},
  };
});
afterEach(() => emu.close());

/** A jit permission set for `userName` in MEMBER, granted as the grant action does. */
async function grant(requestId: string, pr: number, userName: string, actions: string[]) {
  const window = { start: T0, expiry: new Date(T0.getTime() + 120 * MIN) };
  const policy = buildPolicy({
    requestId,
    requester: 'octocat',
    principalArn: userName,
    statements: [{ actions, resources: ['*'] }],
    window,
    pr,
  });
  if (!policy.ok) throw new Error('policy');
  const outcome = await applySsoGrant(
    clients,
    planPermissionSet({
      policy: policy.value,
      identityCenter,
      userName,
      accountId: MEMBER,
      requestId,
      window,
      now: T0,
      pr,
    }),
    POLL,
  );
  if (!outcome.ok) throw new Error(outcome.reason);
  return permissionSetName(requestId, pr);
}

/** IAM as a person signed in through the access portal with that permission set. */
function signedIn(userName: string, permissionSet: string): IAMClient {
  const session = emu.identityCenter.openSession({ userName, accountId: MEMBER, permissionSet });
  return new IAMClient({ ...emu.clientConfig(session), maxAttempts: 1 });
}

/** CloudTrail and Athena as the target account's broker would read them. */
function readers() {
  emu.state.addUser({ accountId: MEMBER, name: 'reader' });
  const key = emu.state.addAccessKey({ userName: 'reader', accountId: MEMBER, admin: true });
  return {
    cloudtrail: async (region: string) =>
      new CloudTrailClient({ ...emu.clientConfig(key), region, maxAttempts: 1 }),
    athena: async (region: string) =>
      new AthenaClient({ ...emu.clientConfig(key), region, maxAttempts: 1 }),
  };
}

async function scenario(athena: boolean) {
  const mine = await grant('alice-users', 7, ALICE, ['iam:ListPolicies', 'iam:GetRole']);
  // Alice's other way into the same account, and bob's grant, both live in the same window.
  const other = await grant('alice-other', 8, ALICE, ['iam:ListPolicies', 'iam:GetRole']);
  const bobs = await grant('bob-users', 9, BOB, ['iam:ListPolicies']);
  clock.advance(5 * MIN);
  const viaGrant = signedIn(ALICE, mine);
  await viaGrant.send(new ListPoliciesCommand({}));
  clock.advance(MIN);
  await viaGrant.send(new ListPoliciesCommand({}));
  clock.advance(MIN);
  const viaOther = signedIn(ALICE, other);
  await viaOther.send(new ListPoliciesCommand({}));
  await viaOther.send(new GetRoleCommand({ RoleName: 'absent' })).catch(() => undefined);
  await signedIn(BOB, bobs).send(new ListPoliciesCommand({}));
  clock.advance(10 * MIN);

  const decisions = await sweepGrants({
    config: config(athena),
    now: clock.now(),
    iamFor: async () => iamClient(emu),
    identityCenterFor: async () => clients,
    identityCenterScope: 'configured',
    poll: POLL,
    early: { prs: [7] },
  });
  const revoked = decisions.filter(
    (d): d is Extract<RevokeDecision, { kind: 'revoked' }> => d.kind === 'revoked',
  );
  expect(revoked.map((d) => d.policy.requestId)).toEqual(['alice-users']);
  const { cloudtrail, athena: athenaClient } = readers();
  return {
    mine,
    report: await collectUsage(revoked[0]!, cloudtrail, clock.now(), {
      athena: athenaClient,
      sleep: async () => {},
    }),
  };
}

test.each([
  ['LookupEvents in the target account', false, 'lookup-events'],
  ['Athena over the trail', true, 'athena'],
])('through %s: only this permission set’s sessions count', async (_, athena, source) => {
  const { mine, report } = await scenario(athena);
  if (!report) throw new Error('no report');
  expect(report.source).toBe(source);
  // Two ListPolicies through the granted permission set; not alice's ListPolicies and GetRole
  // through her other permission set, nor bob's ListPolicies, all in the same window and account.
  expect(report.used).toEqual([{ action: 'iam:ListPolicies', calls: 2, failed: 0 }]);
  expect(report.events).toBe(2);
  expect(report.denied).toEqual([]);
  expect(report.unused).toEqual(['iam:GetRole']);
  expect(report.principalArn).toBe(
    `arn:aws:sts::${MEMBER}:assumed-role/AWSReservedSSO_${mine}_*/${ALICE}`,
  );
});
