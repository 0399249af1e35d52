import { mkdtemp, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

const repoRoot = process.cwd();
const AT = '2026-11-25T09:00:00Z';

async function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: opts.env ?? {},
    cwd: opts.cwd ?? repoRoot,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** A scratch repository with the shipped config, so tests can add hostile requests. */
async function scratch(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jit-cli-'));
  await copyFile(join(repoRoot, 'jit.config.yaml'), join(dir, 'jit.config.yaml'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('jit validate', () => {
  test('the shipped examples are valid: exit 0', async () => {
    const r = await run([
      'validate',
      '--at',
      AT,
      'requests/example-profile.yaml',
      'requests/example-custom.yaml',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ok\s+requests\/example-profile\.yaml$/m);
    expect(r.stdout).toMatch(/^ok\s+requests\/example-custom\.yaml$/m);
    expect(r.code).toBe(0);
  });

  test('an invalid file: exit 1, file:line:col and the field', async () => {
    const dir = await scratch({
      'bad-request.yaml':
        'requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 2h\nreason: short\n',
    });
    const r = await run(['validate', '--at', AT, 'bad-request.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bad-request\.yaml:5:\d+: error: reason: /);
  });

  test('one invalid among valid ones still fails, and every file is reported', async () => {
    const dir = await scratch({ 'not-yaml.yaml': 'requester: [unclosed\n' });
    const r = await run(
      ['validate', '--at', AT, join(repoRoot, 'requests/example-profile.yaml'), 'not-yaml.yaml'],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ok\s+.*example-profile\.yaml$/m);
    expect(r.stdout).toMatch(/^invalid not-yaml\.yaml$/m);
  });

  test('--json is machine-readable and carries lines', async () => {
    const dir = await scratch({
      'dup-keys.yaml':
        'requester: octocat\nrequester: mallory\naccount: prod\nprofile: s3-logs-read\nduration: 2h\nreason: looking into the nightly export failure\n',
    });
    const r = await run(['validate', '--json', '--at', AT, 'dup-keys.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      valid: boolean;
      files: { problems: { line: number }[] }[];
    };
    expect(out.valid).toBe(false);
    expect(out.files[0]!.problems.some((p) => p.line === 2)).toBe(true);
  });

  test('under GitHub Actions it prints ::error annotations with file and line', async () => {
    const dir = await scratch({
      'bad-duration.yaml':
        'requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 2\nreason: looking into the nightly export failure\n',
    });
    const r = await run(['validate', '--at', AT, 'bad-duration.yaml'], {
      cwd: dir,
      env: { GITHUB_ACTIONS: 'true' },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=bad-duration\.yaml,line=4,col=\d+,title=duration::/m);
  });

  test('a missing file is an error naming it, not a crash', async () => {
    const r = await run(['validate', '--at', AT, 'requests/nope.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('cannot read requests/nope.yaml: no such file');
  });

  test('usage errors exit 2', async () => {
    expect((await run(['validate'])).code).toBe(2);
    expect((await run(['validate', '--bogus', 'x.yaml'])).code).toBe(2);
    expect((await run(['validate', '--at', 'yesterday', 'x.yaml'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});

describe('jit plan', () => {
  test('prints the exact time-bound policy and tags for the profile example', async () => {
    const r = await run([
      'plan',
      '--json',
      '--pr',
      '42',
      '--at',
      AT,
      'requests/example-profile.yaml',
    ]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      policy: {
        name: string;
        path: string;
        document: { Statement: { Condition: Record<string, Record<string, string>> }[] };
        tags: { Key: string; Value: string }[];
      };
      window: { start: string; expiry: string };
      approvals: { required: number };
    };
    expect(plan.policy.name).toBe('jit-example-profile');
    expect(plan.policy.path).toBe('/jit/');
    expect(plan.window.start).toBe('2026-11-25T09:00:00.000Z');
    for (const s of plan.policy.document.Statement) {
      expect(s.Condition.DateGreaterThan?.['aws:CurrentTime']).toBe('2026-11-25T09:00:00Z');
      expect(s.Condition.DateLessThan?.['aws:CurrentTime']).toBe('2026-11-25T11:00:00Z');
    }
    expect(plan.policy.tags).toEqual(expect.arrayContaining([{ Key: 'jit:pr', Value: '42' }]));
    expect(plan.approvals.required).toBeGreaterThanOrEqual(1);
  });

  test('human output names the policy and the window', async () => {
    const r = await run(['plan', '--at', AT, 'requests/example-custom.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('policy /jit/jit-example-custom');
    expect(r.stdout).toMatch(/window:\s+2026-11-25T09:00:00\.000Z \.\. /);
  });

  test('an invalid request: exit 1 and the problems on stderr', async () => {
    const dir = await scratch({
      'unknown-account.yaml':
        'requester: octocat\naccount: nowhere\nprofile: s3-logs-read\nduration: 2h\nreason: looking into the nightly export failure\n',
    });
    const r = await run(['plan', '--at', AT, 'unknown-account.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown-account\.yaml:2:\d+: error: account: /);
  });

  test('an invalid config is reported with its own file and line', async () => {
    const dir = await scratch({ 'broken.config.yaml': 'version: 2\n' });
    const r = await run(
      [
        'plan',
        '--config',
        'broken.config.yaml',
        '--at',
        AT,
        join(repoRoot, 'requests/example-profile.yaml'),
      ],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.config\.yaml:1:\d+: error: version/);
  });
});
