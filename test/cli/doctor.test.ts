/** `jit doctor` as a user runs it: exit codes, human output, --json, against the emulator. */
import type { GitHubEmulator } from '../../emulators/github/server.js';
import type { CliIo } from '../../src/cli/io.js';
import { doctorCommand } from '../../src/cli/commands/doctor.js';
import { DOCTOR_TOKEN, REPO, SOUND_RULESET, soundRepository } from '../doctor/world.js';

let gh: GitHubEmulator;
beforeEach(async () => (gh = await soundRepository()));
afterEach(() => gh.close());

async function doctor(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: { GITHUB_TOKEN: gh.tokens.create(DOCTOR_TOKEN), ...env },
    cwd: process.cwd(),
  };
  const code = await doctorCommand(args, io);
  return { code, stdout, stderr };
}
const target = () => ['--repo', REPO, '--api-url', gh.url];

test('a sound repository: exit 0', async () => {
  const r = await doctor(target());
  expect(r).toEqual({
    code: 0,
    stdout:
      'jit doctor: acme/access\n\nok: nothing found that would let a grant through unreviewed\n',
    stderr: '',
  });
});

test('repository and API URL from the Actions environment', async () => {
  const r = await doctor([], { GITHUB_REPOSITORY: REPO, GITHUB_API_URL: gh.url });
  expect(r.code).toBe(0);
});

test('a misconfigured repository: exit 1, each finding with its fix', async () => {
  gh.state.setWorkflowPermissions(REPO, {
    canApprovePullRequestReviews: true,
    defaultWorkflowPermissions: 'write',
  });
  const r = await doctor(target());
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('error   actions-can-approve: GitHub Actions may approve');
  expect(r.stdout).toContain('        fix: Settings → Actions → General: untick');
  expect(r.stdout).toContain('warning workflow-token-write: ');
  expect(r.stdout).toMatch(/1 error\(s\), 1 warning\(s\)\n$/);
});

test('warnings alone: exit 0', async () => {
  gh.state.setWorkflowPermissions(REPO, { defaultWorkflowPermissions: 'write' });
  expect((await doctor(target())).code).toBe(0);
});

test('--json: the findings as data', async () => {
  gh.state.repo(REPO).settings.environments.delete('jit-grant');
  const r = await doctor([...target(), '--json']);
  expect(r.code).toBe(1);
  expect(JSON.parse(r.stdout)).toEqual({
    repository: REPO,
    ok: false,
    findings: [
      {
        id: 'environment-missing',
        severity: 'error',
        message: expect.stringContaining('jit-grant environment does not exist'),
        fix: expect.stringContaining('create the jit-grant environment'),
      },
    ],
  });
});

test('a repository the token cannot see: exit 1, said plainly', async () => {
  const token = gh.tokens.create({ ...DOCTOR_TOKEN, repositories: ['acme/other'] });
  const r = await doctor([...target(), '--json'], { GITHUB_TOKEN: token });
  expect(r.code).toBe(1);
  expect(JSON.parse(r.stdout).findings).toEqual([
    expect.objectContaining({
      id: 'repository-unreadable',
      message: 'repository acme/access not found, or the token cannot see it',
    }),
  ]);
});

test('strings from the API cannot drive the terminal', async () => {
  gh.state.repo(REPO).settings.rulesets.length = 0;
  gh.state.addRuleset(REPO, {
    ...SOUND_RULESET,
    name: 'main\u001b[2J\u202eevil',
    bypass_actors: [{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' }],
  });
  const r = await doctor(target());
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('ruleset "main\uFFFD[2J\uFFFDevil"');
  expect(r.stdout).not.toContain('\u001b');
  expect(r.stdout).not.toContain('\u202e');
});

test.each([
  ['no token', ['--repo', REPO], { GITHUB_TOKEN: undefined }, 'set GITHUB_TOKEN'],
  ['no repository', ['--api-url', 'http://127.0.0.1:1'], {}, 'name the repository'],
  ['a malformed repository', ['--repo', 'acme'], {}, '--repo must be OWNER/NAME'],
  [
    'a malformed API URL',
    ['--repo', REPO, '--api-url', 'not a url'],
    {},
    '--api-url must be a URL',
  ],
  ['an unknown option', ['--repo', REPO, '--fix'], {}, 'unknown option --fix'],
  ['a stray argument', ['acme/access'], {}, 'unexpected argument "acme/access"'],
])('usage: %s is exit 2', async (_, args, env, message) => {
  const r = await doctor(args, env);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(message);
  expect(r.stderr).toContain('see jit doctor --help');
});
