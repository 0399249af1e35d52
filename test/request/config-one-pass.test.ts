/**
 * A config with schema errors still gets its cross-checks, on every part the schema found
 * well-formed: an admin fixes every mistake in one edit. A check that needs a part left out is
 * skipped, never run as if that part were missing (a principal in a malformed account is not "in
 * an unknown account"). Each problem names its field and line; they come sorted by line.
 */
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { doctorCommand } from '../../src/cli/commands/doctor.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import type { Problem } from '../../src/problem.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { DOCTOR_TOKEN, REPO, soundRepository } from '../doctor/world.js';

const base = readFileSync('jit.config.yaml', 'utf8');

/** The repository's config with each `[from, to]` replaced once (each must be there). */
function edited(...changes: [string, string][]): string {
  return changes.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`not in the config: ${from}`);
    return text.replace(from, to);
  }, base);
}

const lineOf = (text: string, fragment: string): number =>
  text.slice(0, text.indexOf(fragment)).split('\n').length;

type Expected = { path: string; at: string; includes: string };

const cases: { name: string; text: string; expected: Expected[]; absent: RegExp[] }[] = [
  {
    name: 'a bad principal ARN and an unknown account in a profile',
    text: edited(
      [
        'prod: arn:aws:iam::123456789012:user/people/monalisa',
        'prod: arn:aws:iam::123456789012:usr/people/monalisa',
      ],
      [
        '    maxDuration: 4h\n    approvals: 1\n',
        '    maxDuration: 4h\n    accounts: [prd]\n    approvals: 1\n',
      ],
    ),
    expected: [
      {
        path: 'principals.monalisa.prod',
        at: 'usr/people/monalisa',
        includes: 'must be an IAM user or role ARN',
      },
      {
        path: 'profiles.s3-logs-read.accounts[0]',
        at: 'accounts: [prd]',
        includes: 'unknown account "prd": did you mean "prod"?',
      },
    ],
    absent: [],
  },
  {
    name: 'a malformed account is left out; the other account and the principals are still checked',
    text: edited(
      ['    regions: [eu-west-1]\n    # How', '    regions: eu-west-1\n    # How'],
      [
        'brokerRole: arn:aws:iam::123456789012:role/jit-access/jit-access-broker',
        'brokerRole: arn:aws:iam::999999999999:role/jit-access/jit-access-broker',
      ],
      ['  hubot:\n', '  hubot:\n    qa: arn:aws:iam::210987654321:role/people/hubot\n'],
    ),
    expected: [
      {
        path: 'accounts.prod.brokerRole',
        at: '999999999999:role/jit-access',
        includes: 'is in account 999999999999, but prod is account 123456789012',
      },
      { path: 'accounts.staging.regions', at: 'regions: eu-west-1\n', includes: 'must be a list' },
      { path: 'principals.hubot.qa', at: 'qa: arn', includes: 'unknown account "qa"' },
    ],
    // staging was written, only wrongly: principals in it are not "in an unknown account".
    absent: [/unknown account "staging"/],
  },
  {
    name: 'a malformed default is not compared against; the blocks around it still are',
    text: edited(
      ['  maxDuration: 8h\n  approvals: 1\n', '  maxDuration: 8 hours\n  approvals: 1\n'],
      [
        '  approvals: 2\n  approvers: [acme/security]\n',
        '  approvals: 0\n  approvers: [acme/security]\n  maxChain: 2h\n',
      ],
      ['  pattern: ^(INC|CHG)-[0-9]{1,8}$', '  pattern: ^(INC|CHG-[0-9]{1,8}$'],
    ),
    expected: [
      { path: 'defaults.maxDuration', at: '8 hours', includes: '' },
      { path: 'custom.approvals', at: 'approvals: 0', includes: 'must be at least 1' },
      {
        path: 'custom.maxChain',
        at: 'maxChain: 2h',
        includes: 'is shorter than the maxDuration (4h)',
      },
      { path: 'ticket.pattern', at: '^(INC|CHG-', includes: 'is not a valid regular expression' },
    ],
    absent: [/longer than defaults\.maxDuration/],
  },
];

describe.each(cases)('$name', ({ text, expected, absent }) => {
  const result = parseConfig(text, 'jit.config.yaml');
  const problems: Problem[] = result.ok ? [] : result.problems;
  const want = expected
    .map((e) => ({ path: e.path, line: lineOf(text, e.at) }))
    .sort((a, b) => a.line - b.line);

  test('every problem, with its field and line, sorted by line', () => {
    expect(problems.map((p) => ({ path: p.path, line: p.line }))).toEqual(want);
    for (const e of expected)
      expect(problems.find((p) => p.path === e.path)?.message).toContain(e.includes);
    expect(problems.every((p) => p.file === 'jit.config.yaml' && p.severity === 'error')).toBe(
      true,
    );
  });

  test('nothing is said of a part that was left out', () => {
    for (const pattern of absent)
      expect(problems.map((p) => p.message).join('\n')).not.toMatch(pattern);
  });

  test('jit validate shows them all at once, with field and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jit-config-one-pass-'));
    await writeFile(join(dir, 'jit.config.yaml'), text);
    await copyFile('requests/example-profile.yaml', join(dir, 'example-profile.yaml'));
    let stdout = '';
    const io: CliIo = { stdout: (s) => (stdout += s), stderr: () => {}, env: {}, cwd: dir };
    const code = await main(['validate', 'example-profile.yaml'], io);
    expect(code).toBe(1);
    const shown = stdout
      .split('\n')
      .filter((l) => l.includes(': error: '))
      .map((l) => /^ {2}jit\.config\.yaml:(\d+):\d+: error: (\S+?):/.exec(l)?.slice(1, 3));
    expect(shown).toEqual(want.map((p) => [String(p.line), p.path]));
  });
});

test('jit doctor --aws shows every problem of the config at once, with field and line', async () => {
  const { text, expected } = cases[2]!;
  const dir = await mkdtemp(join(tmpdir(), 'jit-config-one-pass-'));
  await writeFile(join(dir, 'jit.config.yaml'), text);
  const gh = await soundRepository();
  try {
    let stderr = '';
    const io: CliIo = {
      stdout: () => {},
      stderr: (s) => (stderr += s),
      env: { GITHUB_TOKEN: gh.tokens.create(DOCTOR_TOKEN) },
      cwd: dir,
    };
    const code = await doctorCommand(['--repo', REPO, '--api-url', gh.url, '--aws'], io);
    expect(code).toBe(1);
    const shown = stderr
      .trimEnd()
      .split('\n')
      .map((l) => /^jit\.config\.yaml:(\d+):\d+: error: (\S+?):/.exec(l)?.slice(1, 3));
    const want = expected
      .map((e) => [String(lineOf(text, e.at)), e.path])
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(shown).toEqual(want);
  } finally {
    await gh.close();
  }
});
