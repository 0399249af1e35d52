/**
 * `jit doctor --aws`: the config's identityCenter block checked against AWS with the operator's
 * own credentials (the SDK's environment chain), on the AWS emulator, next to the GitHub checks
 * on the GitHub emulator. Each mismatch a grant would stumble on at merge time is an error with
 * its fix.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import type { GitHubEmulator } from '../../emulators/github/server.js';
import { doctorCommand } from '../../src/cli/commands/doctor.js';
import type { CliIo } from '../../src/cli/io.js';
import { DOCTOR_TOKEN, REPO, soundRepository } from '../doctor/world.js';

let gh: GitHubEmulator;
let aws: AwsEmulator;
let dir: string;
const saved = { ...process.env };

beforeEach(async () => {
  gh = await soundRepository();
  aws = await startAwsEmulator({ clock: new Clock(new Date('2026-11-25T09:00:00Z')) });
  aws.identityCenter.addUser({ userName: 'octocat@acme.example' });
  aws.identityCenter.addUser({ userName: 'Mona.Lisa@acme.example' });
  dir = await mkdtemp(join(tmpdir(), 'jit-doctor-ic-'));
  operator(aws.clientConfig().credentials);
});
afterEach(async () => {
  process.env = { ...saved };
  await gh.close();
  await aws.close();
});

/** The operator's own environment: what the SDK reads when no credentials are passed. */
function operator(keys: { accessKeyId: string; secretAccessKey: string }) {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_ENDPOINT_URL: aws.clientConfig().endpoint,
    AWS_REGION: 'us-east-1',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

async function config(
  block: Record<string, string>,
  users = 'monalisa: Mona.Lisa@acme.example',
  template = '{login}@acme.example',
) {
  const ic = {
    instanceArn: aws.identityCenter.instanceArn,
    identityStoreId: aws.identityCenter.identityStoreId,
    ...block,
  };
  await writeFile(
    join(dir, 'jit.config.yaml'),
    `version: 1
defaults: { maxDuration: 8h, approvals: 1, runbook: runbooks/requester-context.yaml }
identityCenter:
  instanceArn: ${ic.instanceArn}
  identityStoreId: ${ic.identityStoreId}
  region: us-east-1
  brokerRole: arn:aws:iam::123456789012:role/jit-access/jit-access-sso-broker
  userName: '${template}'
  users: { ${users} }
people: [octocat]
accounts:
  prod:
    id: '123456789012'
    brokerRole: arn:aws:iam::123456789012:role/jit-access/jit-access-broker
    regions: [us-east-1]
    backend: identity-center
principals: {}
profiles: {}
custom: { allowed: false, approvals: 2, approvers: [acme/security], maxDuration: 1h }
denyActions: []
highRisk: { policy: deny, extraApprovals: 0 }
ticket: { required: false }
`,
  );
}

async function doctor(...extra: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: { GITHUB_TOKEN: gh.tokens.create(DOCTOR_TOKEN) },
    cwd: dir,
  };
  const code = await doctorCommand(['--repo', REPO, '--api-url', gh.url, ...extra], io);
  return { code, stdout, stderr };
}

const ids = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { id: string; message: string; fix: string }[] }).findings;

test('instance, identity store and every configured user as AWS has them: exit 0', async () => {
  await config({});
  const r = await doctor('--aws');
  expect(r.stderr).toBe('');
  expect(r.stdout).toContain('ok: nothing found');
  expect(r.code).toBe(0);
});

test('a users entry the identity store does not have: an error naming the entry', async () => {
  await config({}, 'monalisa: Mona.Lisa@acme.example, hubot: hubot@acme.example');
  const r = await doctor('--aws', '--json');
  expect(r.code).toBe(1);
  expect(ids(r.stdout)).toEqual([
    expect.objectContaining({
      id: 'identity-center-user-unknown',
      message: expect.stringContaining("hubot's Identity Center user hubot@acme.example"),
      fix: expect.stringContaining('identityCenter.users.hubot'),
    }),
  ]);
});

test('the userName template filled for a person the store does not have: an error', async () => {
  // people: [octocat] resolves to octocat@example.org, which the store does not hold.
  await config({}, 'monalisa: Mona.Lisa@acme.example', '{login}@example.org');
  const r = await doctor('--aws', '--json');
  expect(r.code).toBe(1);
  expect(ids(r.stdout)).toEqual([
    expect.objectContaining({
      id: 'identity-center-user-unknown',
      message: expect.stringContaining("octocat's Identity Center user octocat@example.org"),
    }),
  ]);
});

test('an identity store id that is not the instance’s: the error names the right one', async () => {
  await config({ identityStoreId: 'd-0000000000' });
  const r = await doctor('--aws', '--json');
  expect(r.code).toBe(1);
  expect(ids(r.stdout)).toEqual([
    expect.objectContaining({
      id: 'identity-center-store-mismatch',
      fix: `set identityCenter.identityStoreId: ${aws.identityCenter.identityStoreId}`,
    }),
  ]);
});

test('an instance these credentials do not see: the instances they do see are named', async () => {
  await config({ instanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000' });
  const r = await doctor('--aws');
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(
    'error   identity-center-instance-missing: no Identity Center instance',
  );
  expect(r.stdout).toContain(`found ${aws.identityCenter.instanceArn}`);
});

test('credentials that may not list instances: unreadable, with what they need', async () => {
  await config({});
  aws.state.addUser({ name: 'intern' });
  operator(aws.state.addAccessKey({ userName: 'intern' }));
  const r = await doctor('--aws');
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(
    /error {3}identity-center-unreadable: sso:ListInstances in us-east-1 failed: .*not authorized/,
  );
  expect(r.stdout).toContain('management or delegated administrator account');
});

test('without --aws nothing is asked of AWS, and --config alone is a usage error', async () => {
  await config({ identityStoreId: 'd-0000000000' });
  expect((await doctor()).code).toBe(0);
  expect((await doctor('--config', 'jit.config.yaml')).code).toBe(2);
});
