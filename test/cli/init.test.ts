import { mkdir, mkdtemp, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCommand, type Ask } from '../../src/cli/commands/init.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

async function run(args: string[], cwd: string, ask?: Ask) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {}, cwd };
  // Through main, as `jit init` runs, unless the test answers the questions itself.
  const code = ask ? await initCommand(args, io, ask) : await main(['init', ...args], io);
  return { code, stdout, stderr };
}

const scratch = () => mkdtemp(join(tmpdir(), 'jit-init-'));
/** Every file under dir, relative and sorted. */
const tree = async (dir: string) =>
  (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();

const ALL = [
  '.github/CODEOWNERS',
  '.github/workflows/audit.yml',
  '.github/workflows/doctor.yml',
  '.github/workflows/grant.yml',
  '.github/workflows/request.yml',
  '.github/workflows/revoke.yml',
  'jit.config.yaml',
  'requests/README.md',
  'runbooks/requester-context.yaml',
];

test.each(['iam', 'identity-center'])(
  '%s: an empty directory becomes an access repository jit validate accepts',
  async (backend) => {
    const dir = await scratch();
    const r = await run(['--org', 'acme', '--backend', backend, '--dir', 'repo'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await tree(join(dir, 'repo'))).toEqual(ALL);
    expect(r.stdout).toContain('jit doctor --repo acme/access');

    // A first request against the generated config, as someone would write it.
    await writeFile(
      join(dir, 'repo/requests/octocat-look.yaml'),
      'requester: octocat\naccount: prod\nprofile: readonly\nduration: 2h\nreason: Look at the instances after the deploy.\n',
    );
    let out = '';
    const code = await main(['validate', 'requests/octocat-look.yaml'], {
      stdout: (s) => (out += s),
      stderr: (s) => (out += s),
      env: {},
      cwd: join(dir, 'repo'),
    });
    expect(out).toMatch(/^ok\s+requests\/octocat-look\.yaml/m);
    expect(code).toBe(0);
  },
);

test('without a terminal, existing files are listed and nothing at all is written', async () => {
  const dir = await scratch();
  await mkdir(join(dir, '.github'));
  await writeFile(join(dir, '.github/CODEOWNERS'), '* @mine\n');
  await writeFile(join(dir, 'jit.config.yaml'), 'mine\n');
  const r = await run(['--org', 'acme'], dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('  .github/CODEOWNERS\n  jit.config.yaml\n');
  expect(r.stderr).toContain('--force');
  expect(await tree(dir)).toEqual(['.github/CODEOWNERS', 'jit.config.yaml']);
  expect(await readFile(join(dir, 'jit.config.yaml'), 'utf8')).toBe('mine\n');
});

test('--yes never asks: existing files are refused even at a terminal', async () => {
  const dir = await scratch();
  await writeFile(join(dir, 'jit.config.yaml'), 'mine\n');
  const asked: string[] = [];
  const r = await run(['--org', 'acme', '--yes'], dir, async (q) => (asked.push(q), true));
  expect(r.code).toBe(1);
  expect(asked).toEqual([]);
  expect(await readFile(join(dir, 'jit.config.yaml'), 'utf8')).toBe('mine\n');
});

test('at a terminal, each existing file is replaced only if the person says so', async () => {
  const dir = await scratch();
  await mkdir(join(dir, 'requests'));
  await writeFile(join(dir, 'requests/README.md'), 'ours\n');
  await writeFile(join(dir, 'jit.config.yaml'), 'mine\n');
  const asked: string[] = [];
  const r = await run(['--org', 'acme'], dir, async (q) => {
    asked.push(q);
    return q.startsWith('requests/README.md');
  });
  expect(r.code).toBe(0);
  expect(asked).toEqual([
    'jit.config.yaml exists. Replace it? [y/N] ',
    'requests/README.md exists. Replace it? [y/N] ',
  ]);
  expect(await readFile(join(dir, 'jit.config.yaml'), 'utf8')).toBe('mine\n');
  expect(await readFile(join(dir, 'requests/README.md'), 'utf8')).toContain(
    '# Requesting AWS access',
  );
  expect(r.stdout).toContain('Kept as they were:\n  jit.config.yaml\n');
  expect(await tree(dir)).toEqual(ALL);
});

test('--force replaces, and replaces a link instead of writing where it points', async () => {
  const dir = await scratch();
  const outside = await scratch();
  await writeFile(join(outside, 'precious'), 'keep\n');
  await symlink(join(outside, 'precious'), join(dir, 'jit.config.yaml'));
  const r = await run(['--org', 'acme', '--force'], dir);
  expect(r.code).toBe(0);
  expect(await readFile(join(outside, 'precious'), 'utf8')).toBe('keep\n');
  expect(await readFile(join(dir, 'jit.config.yaml'), 'utf8')).toContain('version: 1');
});

test('a directory where a file goes is refused, even with --force', async () => {
  const dir = await scratch();
  await mkdir(join(dir, 'jit.config.yaml'));
  const r = await run(['--org', 'acme', '--force'], dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('  jit.config.yaml\n');
  expect(await tree(dir)).toEqual([]);
});

test.each([
  [[], /--org/],
  [['--org', 'acme', '--backend', 'azure'], /--backend is iam or identity-center, not "azure"/],
  [['--org', 'acme', '--default-branch', 'release/*'], /--default-branch/],
  [['--org', 'acme', '--actions-sha', 'v1'], /--actions-sha/],
  [['--org', 'acme', '--bogus'], /bogus/],
])('usage error for %j: exit 2, nothing written', async (args, message) => {
  const dir = await scratch();
  const r = await run(args, dir);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(await tree(dir)).toEqual([]);
});

test('the help lists init', async () => {
  let help = '';
  const io: CliIo = { stdout: (s) => (help += s), stderr: () => {}, env: {}, cwd: '.' };
  expect(await main(['--help'], io)).toBe(0);
  expect(help).toMatch(/^ {2}jit init +scaffold a new access repository/m);
});

test('another default branch: the workflows follow it, and so does the deploy step', async () => {
  const dir = await scratch();
  const r = await run(['--org', 'acme', '--default-branch', 'trunk'], dir);
  expect(r.code).toBe(0);
  expect(await readFile(join(dir, '.github/workflows/grant.yml'), 'utf8')).toContain(
    'branches: [trunk]',
  );
  expect(r.stdout).toContain('GitHubDefaultBranch=trunk');
  expect(r.stdout).toContain('deployment branch: trunk only');
});

test('--dir naming a file: refused, nothing written', async () => {
  const dir = await scratch();
  await writeFile(join(dir, 'access'), 'a file\n');
  const r = await run(['--org', 'acme', '--dir', 'access'], dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('access is not a directory');
  expect(await readFile(join(dir, 'access'), 'utf8')).toBe('a file\n');
});
