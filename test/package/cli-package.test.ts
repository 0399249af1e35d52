import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALICE, NOW, fixtureRoot } from '../fixtures/cloudtrail/dataset.js';

// The package as a user gets it: built from the sources, packed, installed from the tarball
// with no network and an empty npm cache (so any runtime dependency fails the install), then run
// through its `jit` bin in a fresh access repository. One build for the whole file.

const repoRoot = process.cwd();
let work: string;
let jit: string;
let access: string;
let packed: { filename: string; files: { path: string }[] };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; a non-zero exit is a result, not a failure. */
function run(file: string, args: string[], cwd: string): Promise<Run> {
  // npm passes its configuration to scripts as npm_* variables; the install must not inherit it.
  // Its code cache goes to the test's directory, not the home of whoever runs the suite.
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
    XDG_CACHE_HOME: join(work, 'cache'),
    NODE_DISABLE_COMPILE_CACHE: '',
  };
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function ok(file: string, args: string[], cwd: string): Promise<string> {
  const r = await run(file, args, cwd);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  return r.stdout;
}

// The bundle takes minutes on a loaded machine: a guard against a hang, not a budget.
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'jit-package-'));
  const pkg = join(work, 'pkg');
  await ok(process.execPath, ['scripts/build-cli.mjs', '--out', pkg], repoRoot);
  [packed] = JSON.parse(await ok('npm', ['pack', pkg, '--json', '--pack-destination', work], work));
  const prefix = join(work, 'prefix');
  await mkdir(prefix);
  await ok(
    'npm',
    [
      'install',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--cache',
      join(work, 'empty-npm-cache'),
      '--prefix',
      prefix,
      join(work, packed.filename),
    ],
    work,
  );
  jit = join(prefix, 'node_modules', '.bin', 'jit');

  access = join(work, 'access');
  await mkdir(join(access, 'requests'), { recursive: true });
  await copyFile(join(repoRoot, 'jit.config.yaml'), join(access, 'jit.config.yaml'));
  await copyFile(
    join(repoRoot, 'requests', 'example-profile.yaml'),
    join(access, 'requests', 'read-logs.yaml'),
  );
  await writeFile(
    join(access, 'requests', 'bad.yaml'),
    'requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 2h\nreason: short\n',
  );
}, 900_000);

afterAll(() => rm(work, { recursive: true, force: true }));

test('the installed package is one package: no runtime dependency was fetched', async () => {
  const tree = await ok('npm', ['ls', '--all', '--parseable'], join(work, 'prefix'));
  expect(tree.trim().split('\n')).toHaveLength(2); // the prefix itself and jit-access
  const installed = JSON.parse(
    await readFile(join(work, 'prefix', 'node_modules', 'jit-access', 'package.json'), 'utf8'),
  );
  const root = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
  expect(installed.dependencies).toBeUndefined();
  expect(installed.version).toBe(root.version);
  expect(installed.license).toBe('MIT');
});

test('the tarball holds the bundle, its licences, the shipped runbooks and schemas, no sources', () => {
  const paths = packed.files.map((f) => f.path);
  expect(paths).toEqual(
    expect.arrayContaining([
      'LICENSE',
      'README.md',
      'bin/jit.js',
      'dist/index.js',
      'dist/licenses.txt',
      'runbooks/requester-context.yaml',
      'schemas/request.schema.json',
    ]),
  );
  expect(paths.filter((p) => /\.ts$|^src\/|emulators|node_modules/.test(p))).toEqual([]);
});

test('jit --help: exit 0 and the commands', async () => {
  const r = await run(jit, ['--help'], access);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Usage:/m);
  expect(r.stdout).toMatch(/jit validate/);
});

test('jit validate in an access repository: a valid request exit 0, an invalid one exit 1', async () => {
  const good = await run(jit, ['validate', 'requests/read-logs.yaml'], access);
  expect(good.stderr).toBe('');
  expect(good.stdout).toMatch(/^ok\s+requests\/read-logs\.yaml$/m);
  expect(good.code).toBe(0);

  const bad = await run(jit, ['validate', 'requests/bad.yaml'], access);
  expect(bad.stdout).toMatch(/requests\/bad\.yaml:5:\d+: error: reason: /);
  expect(bad.code).toBe(1);
});

test('jit validate answers the same from its code cache, written by the first run', async () => {
  await rm(join(work, 'cache'), { recursive: true, force: true });
  const first = await run(
    jit,
    ['validate', 'requests/read-logs.yaml', 'requests/bad.yaml'],
    access,
  );
  const cached = await readdir(join(work, 'cache', 'jit-access'), { recursive: true });
  expect(cached.filter((f) => f.endsWith('.bin')).length).toBeGreaterThan(0);
  const second = await run(
    jit,
    ['validate', 'requests/read-logs.yaml', 'requests/bad.yaml'],
    access,
  );
  expect(second).toEqual(first);
  expect(first.code).toBe(1);
});

test('jit plan: the verdict and the exact policy', async () => {
  const r = await run(jit, ['plan', 'requests/read-logs.yaml'], access);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^verdict:\s+valid$/m);
  expect(r.stdout).toMatch(/"Version": "2012-10-17"/);
});

test('jit runbook finds the runbook shipped in the package when the repository has none', async () => {
  const at = NOW.toISOString().replace('.000', '');
  const r = await run(
    jit,
    [
      'runbook',
      '--source',
      `files:${fixtureRoot}`,
      '--principal',
      ALICE,
      '--at',
      at,
      '--format',
      'json',
    ],
    access,
  );
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report.runbook).toBe('requester-context');
  expect(report.results.length).toBeGreaterThan(0);
});

test('jit demo says how to run it from a clone: exit 2', async () => {
  const r = await run(jit, ['demo'], access);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/git clone \S+/);
  expect(r.stderr).toMatch(/npm ci && npx jit demo/);
});

test('jit validate and jit plan load neither the AWS SDK nor Octokit', async () => {
  // A module hook records every module the process loads, and a wrapped readFileSync the
  // chunks, which dist/code-cache.js reads and compiles as scripts.
  const trace = join(work, 'loaded.txt');
  const hooks = join(work, 'trace-hooks.mjs');
  const loader = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(trace)}, url + '\\n');
  return next(url, context);
}`;
  await writeFile(
    hooks,
    `import fs from 'node:fs';
import { register, syncBuiltinESMExports } from 'node:module';
import { pathToFileURL } from 'node:url';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(loader)}`)});
const readFileSync = fs.readFileSync;
fs.readFileSync = function (path, ...rest) {
  if (String(path).endsWith('.index.js'))
    fs.appendFileSync(${JSON.stringify(trace)}, pathToFileURL(String(path)).href + '\\n');
  return readFileSync.call(this, path, ...rest);
};
syncBuiltinESMExports();
`,
  );
  const dist = join(work, 'prefix', 'node_modules', 'jit-access', 'dist');
  const heavy = /\b(IAMClient|STSClient|SSOAdminClient|CloudTrailClient|AthenaClient)\b|Octokit/;
  // The markers are real: some chunk of the bundle holds each kind.
  const chunks = (await readdir(dist)).filter((f) => f.endsWith('.js'));
  const all = (await Promise.all(chunks.map((f) => readFile(join(dist, f), 'utf8')))).join('\n');
  expect(all).toMatch(/\bIAMClient\b/);
  expect(all).toMatch(/Octokit/);

  for (const args of [
    ['validate', 'requests/read-logs.yaml'],
    ['plan', 'requests/read-logs.yaml'],
  ]) {
    await writeFile(trace, '');
    const r = await run(process.execPath, ['--import', hooks, jit, ...args], access);
    expect(r.code).toBe(0);
    const loaded = (await readFile(trace, 'utf8')).split('\n').filter((u) => u.includes('/dist/'));
    expect(loaded.filter((u) => /\/dist\/\d+\.index\.js$/.test(u)).length).toBeGreaterThan(1);
    for (const url of loaded) {
      const text = await readFile(new URL(url), 'utf8');
      expect([url, heavy.exec(text)?.[0]]).toEqual([url, undefined]);
    }
  }
});
