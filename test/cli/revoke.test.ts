/**
 * `jit revoke` from a terminal, with the caller's own credentials (the SDK's environment chain)
 * against the AWS emulator: expired grants by default, one request early, or all of them.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyGrant } from '../../src/aws/iam-grant.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { buildPolicy } from '../../src/policy/build.js';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import { listGrantedPolicies } from '../../src/aws/iam-revoke.js';

const ACCOUNT = '123456789012';
const T0 = new Date('2026-11-25T09:00:00Z');
const CONFIG = `version: 1
defaults: { maxDuration: 8h, approvals: 1, runbook: runbooks/requester-context.yaml }
accounts:
  prod:
    id: "${ACCOUNT}"
    brokerRole: arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-broker
    regions: [eu-west-1]
principals: {}
profiles: {}
custom: { allowed: false, approvals: 2, approvers: [acme/security], maxDuration: 1h }
denyActions: []
highRisk: { policy: deny, extraApprovals: 0 }
ticket: { required: false }
`;

let aws: AwsEmulator;
let dir: string;
const saved = { ...process.env };

beforeEach(async () => {
  aws = await startAwsEmulator({ clock: new Clock(T0) });
  aws.state.addUser({ name: 'octocat', path: '/people/' });
  dir = await mkdtemp(join(tmpdir(), 'jit-revoke-'));
  await writeFile(join(dir, 'jit.config.yaml'), CONFIG);
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
  await grant('octocat-old', new Date(T0.getTime() - 3 * 3600_000), 60);
  await grant('octocat-live', T0, 120);
});
afterEach(async () => {
  process.env = { ...saved };
  await aws.close();
});

async function grant(id: string, start: Date, minutes: number) {
  const policy = buildPolicy({
    requestId: id,
    requester: 'octocat',
    principalArn: `arn:aws:iam::${ACCOUNT}:user/people/octocat`,
    statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-prod-logs/*'] }],
    window: { start, expiry: new Date(start.getTime() + minutes * 60_000) },
  });
  if (!policy.ok) throw new Error(JSON.stringify(policy.problems));
  const outcome = await applyGrant(new IAMClient(aws.clientConfig()), {
    accountId: ACCOUNT,
    principalArn: `arn:aws:iam::${ACCOUNT}:user/people/octocat`,
    name: policy.value.name,
    path: policy.value.path,
    description: policy.value.description,
    document: policy.value.json,
    tags: policy.value.tags,
  });
  if (!outcome.ok) throw new Error(outcome.reason);
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
  return { code: await main(['revoke', ...args], io), stdout, stderr };
}
const remaining = async () =>
  (await listGrantedPolicies(new IAMClient(aws.clientConfig()))).map((p) => p.requestId).sort();

test('by default it removes only expired grants', async () => {
  const r = await jit('--account', 'prod', '--at', '2026-11-25T10:00:00Z');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(
    /^revoked {2}arn:aws:iam::123456789012:policy\/jit\/jit-octocat-old \(expired; detached from user\/octocat\)$/m,
  );
  expect(await remaining()).toEqual(['octocat-live']);
});

test('--request ends one live grant early', async () => {
  const r = await jit(
    '--account',
    'prod',
    '--request',
    'octocat-live',
    '--at',
    '2026-11-25T09:30:00Z',
  );
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/jit-octocat-live \(early;/);
  // The sweep also removes what has expired on the way.
  expect(r.stdout).toMatch(/jit-octocat-old \(expired;/);
  expect(await remaining()).toEqual([]);
});

test('--all is the kill switch: every grant in the account, expired or not', async () => {
  const r = await jit('--account', 'prod', '--all', '--json', '--at', '2026-11-25T09:30:00Z');
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { kind: string; request: string }[];
  expect(out.map((d) => `${d.kind} ${d.request}`).sort()).toEqual([
    'revoked octocat-live',
    'revoked octocat-old',
  ]);
  expect(await remaining()).toEqual([]);
});

test('a request that has no grant, an unknown account and a missing --account are errors', async () => {
  expect((await jit('--account', 'prod', '--request', 'nobody-here')).code).toBe(1);
  expect((await jit('--account', 'staging')).code).toBe(1);
  expect((await jit()).code).toBe(2);
  expect((await jit('--account', 'prod', '--all', '--request', 'octocat-live')).code).toBe(2);
});
