/**
 * `jit doctor --app-id --app-key` checks the GitHub App's installation against what grant.yml and
 * revoke.yml ask create-github-app-token for; against the emulator, with the App's real JWT.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../emulators/github/apps.js';
import type { Permissions } from '../../emulators/github/auth.js';
import type { GitHubEmulator } from '../../emulators/github/server.js';
import { doctorCommand } from '../../src/cli/commands/doctor.js';
import type { CliIo } from '../../src/cli/io.js';
import { DOCTOR_TOKEN, REPO, soundRepository } from './world.js';

/** Exactly what the workflows' permission-* inputs name. */
const NEEDED: Permissions = {
  contents: 'write',
  pull_requests: 'write',
  issues: 'write',
  members: 'read',
};

let gh: GitHubEmulator;
let app: App;
beforeEach(async () => {
  // The App's JWT is judged by GitHub's clock, which must agree with the CLI's.
  gh = await soundRepository({ clock: () => new Date() });
  app = gh.apps.register('jit-access');
});
afterEach(() => gh.close());

async function doctor(env: Record<string, string | undefined> = {}, args: string[] = []) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: {
      GITHUB_TOKEN: gh.tokens.create(DOCTOR_TOKEN),
      JIT_APP_ID: String(app.id),
      JIT_APP_PRIVATE_KEY: app.privateKey,
      ...env,
    },
    cwd: process.cwd(),
  };
  const code = await doctorCommand(['--repo', REPO, '--api-url', gh.url, '--json', ...args], io);
  return { code, findings: stdout ? (JSON.parse(stdout).findings as Finding[]) : [], stderr };
}
type Finding = { id: string; severity: string; message: string };
const summary = (findings: Finding[]) => findings.map((f) => [f.id, f.severity, f.message]);

test('an App installed on the access repository with exactly the needed permissions: sound', async () => {
  gh.apps.install(app, { account: 'acme', repositories: [REPO], permissions: NEEDED });
  expect(await doctor()).toEqual({ code: 0, findings: [], stderr: '' });
});

test('each missing permission is an error, each broader one a warning', async () => {
  gh.apps.install(app, {
    account: 'acme',
    permissions: {
      contents: 'write',
      pull_requests: 'read',
      issues: 'write',
      administration: 'write',
      members: 'write',
    },
  });
  const r = await doctor();
  expect(r.code).toBe(1);
  expect(summary(r.findings)).toEqual([
    [
      'app-permission-missing',
      'error',
      'the jit-access App has pull_requests: read; grant and revoke need pull_requests: write',
    ],
    [
      'app-permission-broader',
      'warning',
      'the jit-access App has administration: write, more than grant and revoke need (none)',
    ],
    [
      'app-permission-broader',
      'warning',
      'the jit-access App has members: write, more than grant and revoke need (read)',
    ],
    [
      'app-all-repositories',
      'warning',
      'the jit-access App is installed on every repository of the organisation',
    ],
  ]);
});

test('no members permission: the error that would stop every team-approved grant', async () => {
  const withoutMembers = { ...NEEDED };
  delete withoutMembers.members;
  gh.apps.install(app, { account: 'acme', repositories: [REPO], permissions: withoutMembers });
  const r = await doctor();
  expect(summary(r.findings)).toEqual([
    [
      'app-permission-missing',
      'error',
      'the jit-access App has members: none; grant and revoke need members: read',
    ],
  ]);
});

test('an App not installed on the repository, or a wrong key, is an error', async () => {
  gh.state.addRepo('acme/other');
  gh.apps.install(app, { account: 'acme', repositories: ['acme/other'], permissions: NEEDED });
  expect((await doctor()).findings.map((f) => f.id)).toEqual(['app-not-installed']);

  const stranger = gh.apps.register('stranger');
  const wrongKey = await doctor({ JIT_APP_PRIVATE_KEY: stranger.privateKey });
  expect(wrongKey.code).toBe(1);
  expect(wrongKey.findings.map((f) => f.id)).toEqual(['app-installation-unreadable']);
});

test('the key from --app-key FILE; id and key come together or not at all', async () => {
  gh.apps.install(app, { account: 'acme', repositories: [REPO], permissions: NEEDED });
  const file = join(await mkdtemp(join(tmpdir(), 'jit-app-')), 'key.pem');
  await writeFile(file, app.privateKey);
  const fromFile = await doctor({ JIT_APP_PRIVATE_KEY: undefined }, ['--app-key', file]);
  expect(fromFile.code).toBe(0);
  const half = await doctor({ JIT_APP_PRIVATE_KEY: undefined });
  expect(half.code).toBe(2);
  expect(half.stderr).toContain('give both the App id');
});

test('without App credentials the installation is not checked', async () => {
  expect(await doctor({ JIT_APP_ID: undefined, JIT_APP_PRIVATE_KEY: undefined })).toEqual({
    code: 0,
    findings: [],
    stderr: '',
  });
});
