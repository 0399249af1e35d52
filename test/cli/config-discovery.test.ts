import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const repoRoot = process.cwd();
const AT = '2026-11-25T09:00:00Z';
const REQUEST = await readFile(join(repoRoot, 'requests/example-profile.yaml'), 'utf8');

async function jit(cwd: string, ...args: string[]) {
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

/** An access repository with the shipped config at its root and a request two levels down. */
async function repository(): Promise<{ root: string; deep: string }> {
  const root = await mkdtemp(join(tmpdir(), 'jit-walk-'));
  await copyFile(join(repoRoot, 'jit.config.yaml'), join(root, 'jit.config.yaml'));
  const deep = join(root, 'requests', 'octocat');
  await mkdir(deep, { recursive: true });
  await writeFile(join(deep, 'logs.yaml'), REQUEST);
  return { root, deep };
}

test('from a subdirectory the config is found above, and the request path stays relative to it', async () => {
  const { deep } = await repository();
  const r = await jit(deep, 'validate', '--at', AT, 'logs.yaml');
  expect(r.stdout).toMatch(/^ok\s+logs\.yaml$/m);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('jit: using ../../jit.config.yaml\n');
});

test('plan --json from a subdirectory: stdout is only the plan, the note goes to stderr', async () => {
  const { deep } = await repository();
  const r = await jit(deep, 'plan', '--json', '--at', AT, 'logs.yaml');
  expect(r.code).toBe(0);
  expect((JSON.parse(r.stdout) as { account: { alias: string } }).account.alias).toBe('prod');
  expect(r.stderr).toBe('jit: using ../../jit.config.yaml\n');
});

test('the nearest config wins, and one in the working directory needs no note', async () => {
  const { root, deep } = await repository();
  // A broken config further up must not be read.
  await writeFile(join(root, 'jit.config.yaml'), 'accounts: [unclosed\n');
  await copyFile(join(repoRoot, 'jit.config.yaml'), join(deep, 'jit.config.yaml'));
  const r = await jit(deep, 'validate', '--at', AT, 'logs.yaml');
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
});

test('--config PATH wins over the walk, relative to the working directory', async () => {
  const { root, deep } = await repository();
  await writeFile(join(root, 'jit.config.yaml'), 'accounts: [unclosed\n');
  await copyFile(join(repoRoot, 'jit.config.yaml'), join(root, 'other.yaml'));
  const r = await jit(deep, 'validate', '--config', '../../other.yaml', '--at', AT, 'logs.yaml');
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  const missing = await jit(deep, 'validate', '--config', 'nope.yaml', 'logs.yaml');
  expect(missing.code).toBe(1);
  expect(missing.stdout).toContain('cannot read nope.yaml: no such file');
});

test('no config anywhere up to the root: an error naming where it looked', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'jit-none-'));
  await writeFile(join(dir, 'logs.yaml'), REQUEST);
  const r = await jit(dir, 'validate', 'logs.yaml');
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(
    `no jit.config.yaml in ${dir} or any directory above it: run jit from the access repository, or name the file with --config PATH`,
  );
  const plan = await jit(dir, 'plan', 'logs.yaml');
  expect(plan.code).toBe(1);
  expect(plan.stderr).toContain(`no jit.config.yaml in ${dir} or any directory above it`);
});
