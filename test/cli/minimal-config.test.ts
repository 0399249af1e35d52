import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { lookupAction } from '../../src/policy/actions.js';
import { BASELINE_DENY } from '../../src/policy/baseline.js';

const AT = '2026-11-25T09:00:00Z';

/** Accounts, principals and one profile: nothing else. */
const MINIMAL = `accounts:
  prod:
    id: '123456789012'
    brokerRole: arn:aws:iam::123456789012:role/jit-access/jit-access-broker
    regions: [eu-west-1]
principals:
  octocat:
    prod: arn:aws:iam::123456789012:user/people/octocat
profiles:
  logs-read:
    description: Read the log bucket.
    statements:
      - actions: [s3:GetObject]
        resources: ['arn:aws:s3:::acme-logs/*']
`;

const request = (body: string, duration = '1h') =>
  `requester: octocat\naccount: prod\n${body}\nduration: ${duration}\nreason: Investigate the failed nightly export from last night.\n`;

async function jit(files: Record<string, string>, ...args: string[]) {
  const cwd = await mkdtemp(join(tmpdir(), 'jit-minimal-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(cwd, name), text);
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: {},
    cwd,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

interface PlanJson {
  approvals: { required: number };
  verdict: string;
  window: { start: string; expiry: string };
}

describe('a minimal config', () => {
  test('accounts, principals and one profile are a valid config, with the documented defaults', async () => {
    const r = await jit(
      { 'jit.config.yaml': MINIMAL, 'octocat-logs.yaml': request('profile: logs-read') },
      'plan',
      '--json',
      '--at',
      AT,
      'octocat-logs.yaml',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    // One approval, no ticket asked for.
    expect(plan.approvals.required).toBe(1);
    expect(plan.verdict).toBe('grantable');
  });

  test('grants last an hour at most unless the config says otherwise', async () => {
    const r = await jit(
      { 'jit.config.yaml': MINIMAL, 'octocat-logs.yaml': request('profile: logs-read', '2h') },
      'validate',
      '--at',
      AT,
      'octocat-logs.yaml',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/octocat-logs\.yaml:4:\d+: error: duration: .*1h/);
  });

  test('a profile longer than the default names the default it exceeds', async () => {
    const config = MINIMAL + '    maxDuration: 4h\n';
    const r = await jit(
      { 'jit.config.yaml': config, 'octocat-logs.yaml': request('profile: logs-read') },
      'validate',
      'octocat-logs.yaml',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '4h is longer than defaults.maxDuration (1h when not set): lower it or raise the default',
    );
  });

  test('custom permissions are refused unless the config allows them', async () => {
    const custom =
      "permissions:\n  - actions: [s3:GetObject]\n    resources: ['arn:aws:s3:::acme-logs/*']";
    const r = await jit(
      { 'jit.config.yaml': MINIMAL, 'octocat-logs.yaml': request(custom) },
      'validate',
      '--at',
      AT,
      'octocat-logs.yaml',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^invalid octocat-logs\.yaml$/m);
    expect(r.stdout).toContain('custom');
  });

  test('a high-risk request needs one more approval by default', async () => {
    const config =
      MINIMAL +
      `  user-admin:
    description: Manage users.
    statements:
      - actions: [iam:AttachUserPolicy]
        resources: ['*']
`;
    const r = await jit(
      { 'jit.config.yaml': config, 'octocat-logs.yaml': request('profile: user-admin') },
      'plan',
      '--json',
      '--at',
      AT,
      'octocat-logs.yaml',
    );
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan.verdict).toBe('needs-extra-approval');
    expect(plan.approvals.required).toBe(2);
  });
});

describe('the baseline of never-granted actions', () => {
  test.each(BASELINE_DENY.map((b) => b.action))('%s is a real IAM action', (action) => {
    expect(lookupAction(action)?.action).toBe(action);
  });

  const withCustom = (extra = '') => MINIMAL + 'custom:\n  allowed: true\n' + extra;
  const asking = (...actions: string[]) =>
    request(`permissions:\n  - actions: [${actions.join(', ')}]\n    resources: ['*']`);

  test('applies to a config that denies nothing itself', async () => {
    const r = await jit(
      { 'jit.config.yaml': withCustom(), 'octocat-logs.yaml': asking('iam:CreateAccessKey') },
      'validate',
      '--at',
      AT,
      'octocat-logs.yaml',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '`iam:CreateAccessKey` is never granted through jit-access: long-term access keys outlive the grant (see docs/configuration.md)',
    );
  });

  test('a wildcard reaching it is refused with a count', async () => {
    const r = await jit(
      { 'jit.config.yaml': withCustom(), 'octocat-logs.yaml': asking("'cloudtrail:*'") },
      'validate',
      '--at',
      AT,
      'octocat-logs.yaml',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('`cloudtrail:*` includes 4 actions jit-access never grants (');
  });

  test("the config's denyActions adds to it; an action in both is reported once, as the baseline's", async () => {
    const config = withCustom('denyActions: [s3:DeleteBucket, iam:CreateAccessKey]\n');
    const r = await jit(
      {
        'jit.config.yaml': config,
        'octocat-logs.yaml': asking('s3:DeleteBucket', 'iam:CreateAccessKey'),
      },
      'validate',
      '--json',
      '--at',
      AT,
      'octocat-logs.yaml',
    );
    expect(r.code).toBe(1);
    const messages = (
      JSON.parse(r.stdout) as { files: { problems: { message: string; severity: string }[] }[] }
    ).files[0]!.problems.filter((p) => p.severity === 'error').map((p) => p.message);
    expect(messages).toEqual([
      expect.stringContaining(
        '`s3:DeleteBucket` is never granted here (denyActions: `s3:DeleteBucket`)',
      ),
      expect.stringContaining('`iam:CreateAccessKey` is never granted through jit-access'),
    ]);
  });
});
