/** `jit validate` as a requester meets it: every mistake in one run, and what the verdict means. */
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

const repoRoot = process.cwd();
const AT = '2026-11-25T09:00:00Z';

async function validate(files: Record<string, string | Uint8Array>, extra: string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), 'jit-validate-'));
  await copyFile(join(repoRoot, 'jit.config.yaml'), join(dir, 'jit.config.yaml'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: {},
    cwd: dir,
  };
  const code = await main(['validate', '--at', AT, ...extra, ...Object.keys(files)], io);
  return { code, stdout, stderr };
}

test('a file with several mistakes shows every one of them in one run, in file order', async () => {
  const r = await validate({
    'many-mistakes.yaml': [
      'requester: octocat',
      'account: prd',
      'permissions:',
      '  - actions: [s3:GetObjet]',
      '    resources: ["arn:aws:s3:::acme-prod-logs/*"]',
      'duration: 2 hours',
      'reason: Investigate the failed nightly export',
      'ticket: INC 42',
      '',
    ].join('\n'),
  });
  expect(r.code).toBe(1);
  const lines = r.stdout.split('\n').filter((l) => l.includes(': error: '));
  expect(lines.map((l) => l.replace(/: error: .*/, ''))).toEqual([
    '  many-mistakes.yaml:2:10',
    '  many-mistakes.yaml:4:15',
    '  many-mistakes.yaml:6:11',
    '  many-mistakes.yaml:8:9',
  ]);
});

test('a file that is not UTF-8 is refused at its first bad byte, with no replacement character', async () => {
  const text = Buffer.concat([
    Buffer.from(
      'requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 1h\nreason: caf',
    ),
    Buffer.from([0xe9]),
    Buffer.from(' crashed during the nightly export\n'),
  ]);
  const r = await validate({ 'latin1.yaml': text }, ['--json']);
  expect(r.code).toBe(1);
  const out = JSON.parse(r.stdout) as { files: { problems: Record<string, unknown>[] }[] };
  expect(out.files[0]!.problems).toEqual([
    expect.objectContaining({
      file: 'latin1.yaml',
      code: 'INVALID_UTF8',
      line: 5,
      column: 12,
      message: expect.stringContaining('byte 0xE9 at offset 79'),
    }),
  ]);
  expect(r.stdout).not.toContain('\ufffd');
});

test('a UTF-16 file is told to save as UTF-8', async () => {
  const text = Buffer.concat([
    Buffer.from([0xff, 0xfe]),
    Buffer.from('requester: octocat\n', 'utf16le'),
  ]);
  const r = await validate({ 'wide.yaml': text });
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('wide.yaml:1:1: error: the file is UTF-16 (little-endian), not UTF-8');
});

test('a valid request is told its verdict in words, and the warnings that would waste the grant', async () => {
  const r = await validate({
    'monalisa-export.yaml': [
      'requester: monalisa',
      'account: staging',
      'permissions:',
      '  - actions: [s3:GetObject, iam:PassRole]',
      '    resources: ["arn:aws:s3:::acme-exports", "arn:aws:iam::123456789012:role/app"]',
      'duration: 1h',
      'reason: Read last night’s export files from the staging bucket.',
      '',
    ].join('\n'),
  });
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n').slice(0, 2)).toEqual([
    'ok      monalisa-export.yaml',
    '  low risk: needs 2 approvals from acme/security',
  ]);
  expect(r.stdout).toContain(
    'monalisa-export.yaml:4:15: warning: permissions[0].actions[0]: `s3:GetObject` acts on',
  );
  expect(r.stdout).toContain(
    'monalisa-export.yaml:5:47: warning: permissions[0].resources[1]: `arn:aws:iam::123456789012:role/app` is in account 123456789012, not staging',
  );
});

test('--json carries the verdict in words', async () => {
  const r = await validate(
    {
      'octocat-logs.yaml':
        'requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 1h\nreason: Investigate the failed nightly export\n',
    },
    ['--json'],
  );
  const out = JSON.parse(r.stdout) as { files: { verdict: string; problems: unknown[] }[] };
  expect(out.files[0]).toMatchObject({
    verdict: 'low risk: needs 1 approval from acme/sre',
    problems: [],
  });
});
