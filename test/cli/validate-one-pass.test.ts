/**
 * `jit validate` on files with mistakes of every layer at once: the schema, the config's checks,
 * the policy lint and the warnings come back in one run, sorted by line, each naming its field,
 * line and stable code. YAML syntax errors are left out: they stop the parse.
 */
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import type { Problem } from '../../src/problem.js';

const repoRoot = process.cwd();
const AT = '2026-11-25T09:00:00Z';

async function validate(name: string, text: string, extra: string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), 'jit-one-pass-'));
  await copyFile(join(repoRoot, 'jit.config.yaml'), join(dir, 'jit.config.yaml'));
  await mkdir(join(dir, 'requests'));
  await writeFile(join(dir, name), text);
  let stdout = '';
  const io: CliIo = { stdout: (s) => (stdout += s), stderr: () => {}, env: {}, cwd: dir };
  const code = await main(['validate', '--at', AT, ...extra, name], io);
  return { code, stdout };
}

type Expected = [line: number, severity: 'error' | 'warning', path: string, code: string];

const cases: { name: string; lines: string[]; expected: Expected[] }[] = [
  {
    name: 'a bad duration and an object action on a bucket ARN',
    lines: [
      'requester: monalisa',
      'account: staging',
      'permissions:',
      '  - actions: [s3:GetObject]',
      '    resources: ["arn:aws:s3:::acme-staging-exports"]',
      'duration: 2 hours',
      'reason: Read last night’s export files from the staging bucket.',
    ],
    expected: [
      [4, 'warning', 'permissions[0].actions[0]', 'ACTION_MATCHES_NO_RESOURCE'],
      [6, 'error', 'duration', 'DURATION_INVALID'],
    ],
  },
  {
    name: 'schema, config, policy and warnings of one custom request',
    lines: [
      'requester: monalisa',
      'account: staging',
      'permissions:',
      '  - actions: [s3:GetObject, iam:CreateUser]',
      '    resources: ["arn:aws:s3:::acme-exports/*", "arn:aws:sqs:eu-west-1:123456789012:jobs"]',
      'duration: 6h',
      'start: 2020-01-01T00:00:00Z',
      'reason: tiny',
      'ticket: INC 42',
    ],
    expected: [
      [4, 'error', 'permissions[0].actions[1]', 'ACTION_DENIED'],
      [4, 'warning', 'permissions[0].actions[1]', 'ACTION_MATCHES_NO_RESOURCE'],
      [5, 'warning', 'permissions[0].resources[1]', 'RESOURCE_OTHER_ACCOUNT'],
      [6, 'error', 'duration', 'DURATION_TOO_LONG'],
      [7, 'error', 'start', 'START_PAST'],
      [8, 'error', 'reason', 'FIELD_LENGTH'],
      [9, 'error', 'ticket', 'FIELD_FORMAT'],
    ],
  },
  {
    name: 'an unknown field, an unknown requester, a typo in an action and a resource in another partition',
    lines: [
      'requester: nobody-here',
      'account: prod',
      'permissions:',
      '  - actions: [s3:GetObjet]',
      '    resources: ["arn:aws-cn:s3:::acme-prod-logs/*"]',
      'duration: 1h',
      'reason: Investigate the failed nightly export',
      'approver: alice',
    ],
    expected: [
      [1, 'error', 'requester', 'REQUESTER_UNKNOWN'],
      [4, 'error', 'permissions[0].actions[0]', 'ACTION_UNKNOWN'],
      [5, 'warning', 'permissions[0].resources[0]', 'RESOURCE_OTHER_PARTITION'],
      [8, 'error', 'approver', 'FIELD_UNKNOWN'],
    ],
  },
  {
    name: 'a malformed resource list warns of nothing it could not read',
    lines: [
      'requester: monalisa',
      'account: staging',
      'permissions:',
      '  - actions: [s3:GetObject, s3:*]',
      '    resources: [42]',
      'duration: 1h',
      'reason: Read last night’s export files from the staging bucket.',
    ],
    expected: [
      [4, 'warning', 'permissions[0].actions[1]', 'SERVICE_WIDE_ACTION'],
      [5, 'error', 'permissions[0].resources[0]', 'FIELD_TYPE'],
    ],
  },
];

describe.each(cases)('$name', ({ lines, expected }) => {
  const text = lines.join('\n') + '\n';

  test('--json: every problem of every layer, in file order, each with field, line and code', async () => {
    const r = await validate('requests/many-mistakes.yaml', text, ['--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { files: { valid: boolean; problems: Problem[] }[] };
    const problems = out.files[0]!.problems;
    expect(problems.every((p) => p.file === 'requests/many-mistakes.yaml')).toBe(true);
    expect(problems.map((p) => [p.line, p.severity, p.path, p.code])).toEqual(expected);
    expect(problems.every((p) => (p.column ?? 0) > 0)).toBe(true);
  });

  test('the text output shows the errors and the warnings together', async () => {
    const r = await validate('requests/many-mistakes.yaml', text);
    const shown = r.stdout
      .split('\n')
      .filter((l) => / (error|warning): /.test(l))
      .map((l) => /:(\d+):\d+: (error|warning): (\S+?):/.exec(l)!.slice(1, 4));
    expect(shown).toEqual(expected.map(([line, severity, path]) => [String(line), severity, path]));
  });
});
