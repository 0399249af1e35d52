import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runbookCommand } from '../../src/cli/commands/runbook.js';
import { EXIT, UsageError, type CliIo } from '../../src/cli/io.js';
import type { RunbookResult } from '../../src/runbook/model.js';
import { ALICE, NOW, fixtureRoot } from '../fixtures/cloudtrail/dataset.js';
import {
  inWindow,
  madeBy as ssoMadeBy,
  ssoFixtureRoot,
  ssoRecords,
} from '../fixtures/cloudtrail-sso/dataset.js';
import { outsideCode, renderGfm } from '../report/render.js';

const AT = NOW.toISOString().replace('.000', '');
const FILES = `files:${fixtureRoot}`;

/** Runs the command as `jit` does: a usage error (or a bad option) is exit 2. */
async function run(args: string[], cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {}, cwd };
  let code: number;
  try {
    code = await runbookCommand(args, io);
  } catch (e) {
    if (
      !(e instanceof UsageError) &&
      !String((e as { code?: string }).code).startsWith('ERR_PARSE_ARGS')
    )
      throw e;
    stderr += (e as Error).message;
    code = EXIT.usage;
  }
  return { code, stdout, stderr };
}

test('json: the default runbook over the fixture', async () => {
  const r = await run([
    '--source',
    FILES,
    '--principal',
    ALICE,
    '--at',
    AT,
    '--format',
    'json',
    '--param',
    'requested_actions=logs:GetLogEvents,dynamodb:*',
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(EXIT.ok);
  const out = JSON.parse(r.stdout);
  expect(out.runbook).toBe('requester-context');
  expect(out.window).toEqual({ from: '2026-03-01T12:00:00.000Z', to: '2026-03-31T12:00:00.000Z' });
  expect(
    out.results
      .find((q: { id: string }) => q.id === 'requested-actions')
      .rows.map((r: { action: string }) => r.action),
  ).toEqual(['logs:GetLogEvents', 'dynamodb:*']);
});

test('markdown: the report, and --since narrows the window', async () => {
  const r = await run([
    '--source',
    FILES,
    '--principal',
    ALICE,
    '--at',
    AT,
    '--since',
    '7d',
    '--account',
    'prod',
  ]);
  expect(r.code).toBe(EXIT.ok);
  expect(r.stdout).toContain(`### CloudTrail activity of \`${ALICE}\``);
  expect(r.stdout).toContain('from `2026-03-24T12:00:00.000Z` to `2026-03-31T12:00:00.000Z`');
  expect(r.stdout).toContain('```mermaid\nxychart-beta');
  // The fixture's hostile user agent (first seen in the last week) stays inside a code span.
  expect(r.stdout).toContain('curl/8.5 <img src=x');
  expect(outsideCode(renderGfm(r.stdout))).not.toMatch(/<img|evil\.example|@octocat/);
});

test('a runbook by path, with an error on its line: exit 1', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'jit-runbook-'));
  await writeFile(
    join(dir, 'bad.yaml'),
    'name: bad\ntitle: Bad\nwindow:\n  since: 30d\nqueries:\n  - id: a\n    title: A\n    groupBy: eventName\n',
  );
  const r = await run(['--runbook', 'bad.yaml', '--source', FILES, '--principal', ALICE], dir);
  expect(r.code).toBe(EXIT.invalid);
  expect(r.stderr).toMatch(/bad\.yaml:8.*queries\[0\]\.groupBy/);
});

test('a runbook name is looked up in ./runbooks, then among the embedded ones', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'jit-runbook-'));
  const r = await run(
    [
      '--runbook',
      'requester-context',
      '--source',
      FILES,
      '--principal',
      ALICE,
      '--at',
      AT,
      '--format',
      'json',
    ],
    dir,
  );
  expect(r.code).toBe(EXIT.ok);
  expect(
    (await run(['--runbook', 'nope', '--source', FILES, '--principal', ALICE], dir)).code,
  ).toBe(EXIT.invalid);
});

test('usage errors: exit 2', async () => {
  expect((await run(['--principal', ALICE])).code).toBe(EXIT.usage);
  expect((await run(['--source', FILES])).code).toBe(EXIT.usage);
  expect((await run(['--source', 'ftp:x', '--principal', ALICE])).code).toBe(EXIT.usage);
  expect((await run(['--source', FILES, '--principal', ALICE, '--since', 'a month'])).code).toBe(
    EXIT.usage,
  );
  expect((await run(['--source', FILES, '--principal', ALICE, '--format', 'html'])).code).toBe(
    EXIT.usage,
  );
  expect((await run(['--source', FILES, '--principal', ALICE, '--bogus'])).code).toBe(EXIT.usage);
});

test('a missing directory or an unknown parameter: exit 1', async () => {
  const r = await run(['--source', 'files:/nonexistent/logs', '--principal', ALICE]);
  expect(r.code).toBe(EXIT.invalid);
  expect(r.stderr).toContain('no such file or directory');
  const p = await run(['--source', FILES, '--principal', ALICE, '--param', 'who=me']);
  expect(p.code).toBe(EXIT.invalid);
  expect(p.stderr).toContain('no parameter "who"');
});

describe('--sso-user: an IAM Identity Center user', () => {
  const SSO_FILES = `files:${ssoFixtureRoot}`;
  const alice = ssoRecords().filter((r) => ssoMadeBy('alice')(r) && inWindow(r));

  test('json: their sessions of every permission set in both accounts, the name in any case', async () => {
    const r = await run([
      '--source',
      SSO_FILES,
      '--sso-user',
      'ALICE@acme.com',
      '--at',
      AT,
      '--format',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(EXIT.ok);
    const out = JSON.parse(r.stdout) as RunbookResult;
    const count = (id: string) => out.results.find((q) => q.id === id)!.total!.count;
    expect(count('daily')).toBe(alice.length);
    expect(alice).toHaveLength(10);
    // Refused twice: EC2 in account A's ReadOnly role, IAM too; bob's calls are not hers.
    expect(count('access-denied')).toBe(2);
    const services = out.results.find((q) => q.id === 'services')!.rows.map((r) => r.eventSource);
    expect(services).toEqual(expect.arrayContaining(['logs.amazonaws.com', 'iam.amazonaws.com']));
    expect(services).not.toContain('lambda.amazonaws.com');
  });

  test('markdown: the report names the Identity Center user', async () => {
    const r = await run(['--source', SSO_FILES, '--sso-user', 'alice@acme.com', '--at', AT]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain('### CloudTrail activity of `sso-user:alice@acme.com`');
    expect(r.stdout).toContain(`**${alice.length}** events`);
  });

  test('with --principal, or empty: exit 2', async () => {
    expect(
      (await run(['--source', SSO_FILES, '--sso-user', 'alice@acme.com', '--principal', ALICE]))
        .code,
    ).toBe(EXIT.usage);
    expect((await run(['--source', SSO_FILES, '--sso-user', ' '])).code).toBe(EXIT.usage);
  });
});
