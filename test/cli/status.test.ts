/**
 * `jit status` from a terminal, with the caller's own credentials (the SDK's environment chain)
 * against the AWS emulator: the live grants of both backends with the time they have left, an
 * expired one awaiting the sweep, and the accounts those credentials cannot read reported as
 * unread rather than shown empty.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyGrant } from '../../src/aws/iam-grant.js';
import { planPermissionSet } from '../../src/aws/permission-set.js';
import { applySsoGrant } from '../../src/aws/sso-grant.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { IdentityCenter } from '../../src/domain.js';
import { buildPolicy } from '../../src/policy/build.js';
import { sweepGrants } from '../../src/revoke/sweep.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import { identityStore, ssoAdmin } from '../emulators/aws/identity-center-world.js';

const PROD = '123456789012';
const STAGING = '210987654321';
const SSO_PROD = '333344445555';
const T0 = new Date('2026-11-25T09:00:00Z');
const MIN = 60_000;
const USER = 'octocat@acme.example';
const POLL = { attempts: 6, firstDelayMs: 1, sleep: async () => {} };

let aws: AwsEmulator;
let dir: string;
let ic: IdentityCenter;
const saved = { ...process.env };

const configText = (instance: IdentityCenter) => `version: 1
defaults: { maxDuration: 8h, approvals: 1, runbook: runbooks/requester-context.yaml }
identityCenter:
  instanceArn: ${instance.instanceArn}
  identityStoreId: ${instance.identityStoreId}
  region: us-east-1
  brokerRole: arn:aws:iam::${PROD}:role/jit-access/jit-access-sso-broker
  users: { octocat: ${USER} }
accounts:
  prod:
    id: "${PROD}"
    brokerRole: arn:aws:iam::${PROD}:role/jit-access/jit-access-broker
    regions: [eu-west-1]
  staging:
    id: "${STAGING}"
    brokerRole: arn:aws:iam::${STAGING}:role/jit-access/jit-access-broker
    regions: [eu-west-1]
  sso-prod:
    id: "${SSO_PROD}"
    brokerRole: arn:aws:iam::${SSO_PROD}:role/jit-access/jit-access-broker
    regions: [eu-west-1]
    backend: identity-center
principals: {}
profiles: {}
custom: { allowed: false, approvals: 2, approvers: [acme/security], maxDuration: 1h }
denyActions: []
highRisk: { policy: deny, extraApprovals: 0 }
ticket: { required: false }
`;

beforeEach(async () => {
  aws = await startAwsEmulator({ clock: new Clock(T0) });
  aws.state.addUser({ name: 'octocat', path: '/people/' });
  aws.state.addAccount(STAGING);
  aws.state.addAccount(SSO_PROD);
  aws.identityCenter.addUser({ userName: USER });
  ic = {
    instanceArn: aws.identityCenter.instanceArn,
    identityStoreId: aws.identityCenter.identityStoreId,
    region: 'us-east-1',
    brokerRole: `arn:aws:iam::${PROD}:role/jit-access/jit-access-sso-broker`,
    users: { octocat: USER },
  };
  dir = await mkdtemp(join(tmpdir(), 'jit-status-'));
  await writeFile(join(dir, 'jit.config.yaml'), configText(ic));
  const { credentials, endpoint } = aws.clientConfig();
  // The operator's own environment: what the SDK reads when no credentials are passed.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  await iamGrant('octocat-old', 11, new Date(T0.getTime() - 3 * 60 * MIN), 60);
  await iamGrant('octocat-live', 12, T0, 120);
  await ssoGrant('octocat-sso', 13, 90);
});
afterEach(async () => {
  process.env = { ...saved };
  await aws.close();
});

function policyFor(id: string, pr: number, principalArn: string, start: Date, minutes: number) {
  const policy = buildPolicy({
    requestId: id,
    requester: 'octocat',
    principalArn,
    statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-prod-logs/*'] }],
    window: { start, expiry: new Date(start.getTime() + minutes * MIN) },
    pr,
  });
  if (!policy.ok) throw new Error(JSON.stringify(policy.problems));
  return policy.value;
}

async function iamGrant(id: string, pr: number, start: Date, minutes: number) {
  const principalArn = `arn:aws:iam::${PROD}:user/people/octocat`;
  const policy = policyFor(id, pr, principalArn, start, minutes);
  const outcome = await applyGrant(new IAMClient(aws.clientConfig()), {
    accountId: PROD,
    principalArn,
    name: policy.name,
    path: policy.path,
    description: policy.description,
    document: policy.json,
    tags: policy.tags,
  });
  if (!outcome.ok) throw new Error(outcome.reason);
}

async function ssoGrant(id: string, pr: number, minutes: number) {
  const window = { start: T0, expiry: new Date(T0.getTime() + minutes * MIN) };
  const outcome = await applySsoGrant(
    { ssoAdmin: ssoAdmin(aws, undefined, 3), identityStore: identityStore(aws, undefined, 3) },
    planPermissionSet({
      policy: policyFor(id, pr, USER, T0, minutes),
      identityCenter: ic,
      userName: USER,
      accountId: SSO_PROD,
      requestId: id,
      window,
      now: T0,
      pr,
    }),
    POLL,
  );
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.permissionSetArn;
}

async function jit(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: process.env,
    cwd: dir,
  };
  return { code: await main(['status', ...args], io), stdout, stderr };
}

const AT = '2026-11-25T09:30:00Z';

test('one IAM account: its live grant with the time left, and an expired one awaiting the sweep', async () => {
  const r = await jit('--account', 'prod', '--at', AT);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^octocat-old \(PR #11\): expired 2h30m ago: the next revoke run/m);
  expect(r.stdout).toMatch(/^octocat-live \(PR #12\): 1h30m left$/m);
  expect(r.stdout).toMatch(
    /^ {2}iam in prod \(123456789012\), for arn:aws:iam::123456789012:user\/people\/octocat$/m,
  );
  expect(r.stdout).not.toContain('octocat-sso');
  expect(r.stdout).toMatch(/^1 live, 1 awaiting removal$/m);
});

test('an Identity Center account: the permission set, its user, its assignment and time left', async () => {
  const r = await jit('--account', 'sso-prod', '--json', '--at', AT);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out.grants).toEqual([
    expect.objectContaining({
      backend: 'identity-center',
      account: 'sso-prod',
      accountId: SSO_PROD,
      request: 'octocat-sso',
      pr: 13,
      principal: USER,
      arn: expect.stringMatching(/^arn:aws:sso:::permissionSet\//),
      start: '2026-11-25T09:00:00Z',
      expiry: '2026-11-25T10:30:00Z',
      secondsLeft: 3600,
      expired: false,
      assignments: 1,
    }),
  ]);
  // Once revoked, it is gone from the status too.
  const parsed = parseConfig(configText(ic), 'jit.config.yaml');
  if (!parsed.ok) throw new Error('config');
  await sweepGrants({
    config: parsed.value,
    now: T0,
    iamFor: async () => new IAMClient(aws.clientConfig()),
    identityCenterFor: async () => ({
      ssoAdmin: ssoAdmin(aws, undefined, 3),
      identityStore: identityStore(aws, undefined, 3),
    }),
    early: { prs: [13] },
    poll: POLL,
  });
  const after = await jit('--account', 'sso-prod', '--at', AT);
  expect(after.code).toBe(0);
  expect(after.stdout).toBe('no live grants\n');
});

test('every account: an account the credentials are not for is unread, never shown empty', async () => {
  const r = await jit('--json', '--at', AT);
  expect(r.code).toBe(1);
  const out = JSON.parse(r.stdout);
  expect(out.grants.map((g: { request: string }) => g.request)).toEqual([
    'octocat-old',
    'octocat-sso',
    'octocat-live',
  ]);
  expect(out.unreadable).toEqual([
    {
      scope: 'staging (IAM)',
      error: expect.stringContaining(`credentials are for account ${PROD}, not ${STAGING}`),
    },
  ]);
  expect(r.stderr).toMatch(/could not read staging \(IAM\)/);
});

test('an unknown account and a stray argument are errors', async () => {
  expect((await jit('--account', 'nope')).code).toBe(1);
  expect((await jit('extra')).code).toBe(2);
});
