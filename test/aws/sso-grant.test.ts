/**
 * The Identity Center backend against the AWS emulator over HTTP, with the real SSO Admin and
 * Identity Store clients: a grant is a permission set assigned to the person, whose AWSReservedSSO
 * role works inside the window only; re-runs adopt; a foreign permission set is refused; revoke
 * leaves nothing behind; faults on every call converge.
 */
import {
  CreatePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListPermissionSetsCommand,
  PutInlinePolicyToPermissionSetCommand,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import type { IdentityCenter } from '../../src/domain.js';
import { planPermissionSet, type PermissionSetGrant } from '../../src/aws/permission-set.js';
import { applySsoGrant } from '../../src/aws/sso-grant.js';
import { listJitPermissionSets, revokePermissionSet } from '../../src/aws/sso-revoke.js';
import type { PollOptions } from '../../src/aws/sso-status.js';
import { buildPolicy } from '../../src/policy/build.js';
import { identityStore, ssoAdmin } from '../emulators/aws/identity-center-world.js';

const MEMBER = '210987654321';
const T0 = new Date('2026-11-25T09:00:00Z');
const HOUR = 3_600_000;
const LOGS = 'arn:aws:s3:::acme-prod-logs/app.log';
/** No real waiting: the emulator ends a request on its third status read. */
const POLL: PollOptions = { attempts: 6, firstDelayMs: 1, sleep: async () => {} };
/** Requests that end on their own after 2 s of AWS time, as AWS's do; waiting moves the clock. */
const timed = (): PollOptions => {
  emu.identityCenter.completion.afterMs = 2000;
  return { attempts: 6, firstDelayMs: 250, sleep: async (ms) => clock.advance(ms) };
};

let emu: AwsEmulator;
let clock: Clock;
let sso: SSOAdminClient;
let store: IdentitystoreClient;
let ic: IdentityCenter;

beforeEach(async () => {
  clock = new Clock(T0);
  emu = await startAwsEmulator({ clock });
  emu.state.addAccount(MEMBER);
  emu.identityCenter.addUser({ userName: 'octocat@acme.example' });
  sso = ssoAdmin(emu, undefined, 3);
  store = identityStore(emu, undefined, 3);
  ic = {
    instanceArn: emu.identityCenter.instanceArn,
    identityStoreId: emu.identityCenter.identityStoreId,
    region: 'us-east-1',
    brokerRole: 'arn:aws:iam::123456789012:role/jit-access/jit-access-sso-broker',
    users: {},
  };
});
afterEach(() => emu.close());

function grant(requestId = 'octocat-logs', actions = ['s3:GetObject'], pr = 7): PermissionSetGrant {
  const window = { start: T0, expiry: new Date(T0.getTime() + 2 * HOUR) };
  const policy = buildPolicy({
    requestId,
    requester: 'octocat',
    principalArn: 'octocat@acme.example',
    statements: [{ actions, resources: ['arn:aws:s3:::acme-prod-logs/*'] }],
    window,
    pr,
  });
  if (!policy.ok) throw new Error(JSON.stringify(policy.problems));
  return planPermissionSet({
    policy: policy.value,
    identityCenter: ic,
    userName: 'octocat@acme.example',
    accountId: MEMBER,
    requestId,
    window,
    now: T0,
    pr,
  });
}

const session = (g: PermissionSetGrant) =>
  emu.identityCenter.openSession({
    userName: 'octocat@acme.example',
    accountId: MEMBER,
    permissionSet: g.name,
  });

const canRead = (principalArn: string) =>
  emu.authorize({ principalArn, action: 's3:GetObject', resource: LOGS });

async function assignments(arn: string) {
  const page = await sso.send(
    new ListAccountAssignmentsCommand({
      InstanceArn: ic.instanceArn,
      AccountId: MEMBER,
      PermissionSetArn: arn,
    }),
  );
  return page.AccountAssignments ?? [];
}

async function permissionSets(): Promise<string[]> {
  return (
    (await sso.send(new ListPermissionSetsCommand({ InstanceArn: ic.instanceArn })))
      .PermissionSets ?? []
  );
}

test('a grant is an AWSReservedSSO role in the target account that works inside the window only', async () => {
  const g = grant();
  const outcome = await applySsoGrant({ ssoAdmin: sso, identityStore: store }, g, POLL);
  if (!outcome.ok) throw new Error(outcome.reason);
  expect(outcome).toMatchObject({ created: true, assigned: true });
  expect(g.name).toMatch(/^jit-octocat-logs-[0-9a-f]{8}$/);
  expect(g.sessionDuration).toBe('PT2H');

  const role = emu.identityCenter.provisionedRole(outcome.permissionSetArn, MEMBER);
  expect(role?.path).toBe('/aws-reserved/sso.amazonaws.com/');
  expect(role?.name).toMatch(/^AWSReservedSSO_jit-octocat-logs-[0-9a-f]{8}_[0-9a-f]{16}$/);

  const arn = session(g).identity.arn;
  clock.set(new Date(T0.getTime() + HOUR));
  expect(canRead(arn)).toBe('allowed');
  // One second after expiry, with the assignment still in place, AWS itself denies.
  clock.set(new Date(T0.getTime() + 2 * HOUR + 1000));
  expect(await assignments(outcome.permissionSetArn)).toHaveLength(1);
  expect(canRead(arn)).toBe('denied');
});

test('revoking removes the assignment, the role and the permission set; the session is denied', async () => {
  const g = grant();
  const outcome = await applySsoGrant({ ssoAdmin: sso, identityStore: store }, g, POLL);
  if (!outcome.ok) throw new Error(outcome.reason);
  const arn = session(g).identity.arn;
  clock.set(new Date(T0.getTime() + 30 * 60_000));
  expect(canRead(arn)).toBe('allowed');

  const [set] = await listJitPermissionSets(sso, ic.instanceArn);
  expect(set).toMatchObject({ arn: outcome.permissionSetArn, requestId: 'octocat-logs' });
  expect(set?.tags).toMatchObject({ 'jit:managed': 'true', 'jit:pr': '7', 'jit:account': MEMBER });
  const revoked = await revokePermissionSet(sso, ic.instanceArn, set!, POLL);
  expect(revoked).toMatchObject({ ok: true, alreadyGone: false });
  expect(revoked.detached).toEqual([`${MEMBER}/USER/${outcome.userId}`]);
  expect(emu.identityCenter.provisionedRole(outcome.permissionSetArn, MEMBER)).toBeUndefined();
  expect(await permissionSets()).toEqual([]);
  expect(canRead(arn)).toBe('denied');
  // A second revoke (a sweep that lost the first answer) converges.
  expect(await revokePermissionSet(sso, ic.instanceArn, set!, POLL)).toMatchObject({ ok: true });
});

test('the same grant again adopts the permission set and its assignment', async () => {
  const clients = { ssoAdmin: sso, identityStore: store };
  const first = await applySsoGrant(clients, grant(), POLL);
  const again = await applySsoGrant(clients, grant(), POLL);
  expect(first).toMatchObject({ ok: true, created: true, assigned: true });
  expect(again).toMatchObject({ ok: true, created: false, assigned: false });
  expect(await permissionSets()).toHaveLength(1);
});

test('a permission set of that name that is not this grant is refused, never changed', async () => {
  const g = grant();
  await sso.send(new CreatePermissionSetCommand({ InstanceArn: ic.instanceArn, Name: g.name }));
  const outcome = await applySsoGrant({ ssoAdmin: sso, identityStore: store }, g, POLL);
  expect(outcome).toMatchObject({ ok: false, kind: 'conflict' });
  if (!outcome.ok) expect(outcome.reason).toContain('jit:request=(none)');
  expect(await assignments(outcome.ok ? '' : outcome.permissionSetArn!)).toEqual([]);
});

test('the same tags with a different inline policy is refused', async () => {
  const clients = { ssoAdmin: sso, identityStore: store };
  const first = await applySsoGrant(clients, grant(), POLL);
  if (!first.ok) throw new Error(first.reason);
  await sso.send(
    new PutInlinePolicyToPermissionSetCommand({
      InstanceArn: ic.instanceArn,
      PermissionSetArn: first.permissionSetArn,
      InlinePolicy: grant('octocat-logs', ['s3:*']).document,
    }),
  );
  const again = await applySsoGrant(clients, grant(), POLL);
  expect(again).toMatchObject({ ok: false, kind: 'conflict' });
  if (!again.ok) expect(again.reason).toContain('inline policy differs');
});

test('an unknown user is a delay to retry, not a refusal', async () => {
  const g = { ...grant(), userName: 'nobody@acme.example' };
  const outcome = await applySsoGrant({ ssoAdmin: sso, identityStore: store }, g, POLL);
  expect(outcome).toMatchObject({ ok: false, kind: 'aws-error' });
  if (!outcome.ok) expect(outcome.reason).toContain('no user nobody@acme.example');
  expect(await permissionSets()).toEqual([]);
});

test('an assignment that ends FAILED is reported with AWS FailureReason', async () => {
  emu.identityCenter.failNext('create', 'Received a 404 status error: account not found');
  const outcome = await applySsoGrant({ ssoAdmin: sso, identityStore: store }, grant(), POLL);
  expect(outcome).toMatchObject({ ok: false, kind: 'aws-error' });
  if (!outcome.ok) expect(outcome.reason).toContain('Received a 404 status error');
  // The next run converges.
  expect(await applySsoGrant({ ssoAdmin: sso, identityStore: store }, grant(), POLL)).toMatchObject(
    { ok: true, created: false, assigned: true },
  );
});

test('an assignment still in progress at the polling bound is pending, then adopted', async () => {
  const poll = timed();
  const clients = { ssoAdmin: sso, identityStore: store };
  const outcome = await applySsoGrant(clients, grant(), { ...poll, attempts: 2 });
  expect(outcome).toMatchObject({ ok: false, kind: 'pending' });
  // While the first request is open, AWS answers ConflictException: still a delay.
  expect(await applySsoGrant(clients, grant(), { ...poll, attempts: 0 })).toMatchObject({
    ok: false,
    kind: 'aws-error',
  });
  clock.advance(2000);
  expect(await applySsoGrant(clients, grant(), poll)).toMatchObject({
    ok: true,
    created: false,
    assigned: false,
  });
});

describe('20% faults on every SSO Admin and Identity Store call converge', () => {
  test.each([1, 2, 3, 4, 5, 6])('seed %i', async (seed) => {
    emu.faults.seed(seed);
    // One call in five fails: half before any change (5xx), half after it (a lost answer).
    emu.faults.inject({ kind: '5xx', rate: 0.1 });
    emu.faults.inject({ kind: 'drop-after-apply', rate: 0.1 });
    // The SDK's usual three attempts, as the actions have; the runs must converge the rest.
    const clients = {
      ssoAdmin: ssoAdmin(emu, undefined, 3),
      identityStore: identityStore(emu, undefined, 3),
    };
    const grants = ['octocat-logs', 'octocat-metrics', 'octocat-queues'].map((id, i) =>
      grant(id, ['s3:GetObject'], 10 + i),
    );
    const poll = timed();
    const reasons: string[] = [];
    const done = new Set<string>();
    for (let run = 0; run < 10 && done.size < grants.length; run++) {
      clock.advance(5000); // the schedule's next run
      for (const g of grants) {
        if (done.has(g.name)) continue;
        const outcome = await applySsoGrant(clients, g, poll);
        if (!outcome.ok && outcome.kind === 'conflict') throw new Error(outcome.reason);
        if (!outcome.ok) reasons.push(outcome.reason);
        if (outcome.ok) done.add(g.name);
      }
    }
    expect({ done: done.size, reasons }).toEqual({ done: grants.length, reasons });

    const removed = new Set<string>();
    for (let run = 0; run < 10 && removed.size < grants.length; run++) {
      clock.advance(5000);
      const sets = await listJitPermissionSets(clients.ssoAdmin, ic.instanceArn).catch(() => []);
      for (const set of sets) {
        if (set.unreadable) continue;
        const r = await revokePermissionSet(clients.ssoAdmin, ic.instanceArn, set, poll);
        if (r.ok) removed.add(set.arn);
      }
    }
    emu.faults.clear();
    // Nothing orphaned: no permission set, no assignment, no role left.
    expect(await permissionSets()).toEqual([]);
    for (const arn of removed)
      expect(emu.identityCenter.provisionedRole(arn, MEMBER)).toBeUndefined();
    expect(removed.size).toBe(grants.length);
  });
});
