/**
 * One pass: a file with several independent mistakes reports every one of them at once, each
 * naming its field and line, so a requester fixes them all before the next push.
 */
import { readFileSync } from 'node:fs';
import type { JitConfig } from '../../src/domain.js';
import { planRequest } from '../../src/plan/plan.js';
import { parseConfig } from '../../src/request/parse-config.js';

const parsed = parseConfig(readFileSync('jit.config.yaml', 'utf8'), 'jit.config.yaml');
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const config: JitConfig = parsed.value;
const now = new Date('2026-03-01T00:00:00Z');

interface Expected {
  kind: 'schema' | 'config' | 'policy';
  path: string;
  line: number;
  includes: string;
}

const cases: { name: string; lines: string[]; expected: Expected[] }[] = [
  {
    name: 'custom permissions: schema, config and policy mistakes together',
    lines: [
      'requester: octocat',
      'account: prd',
      'permissions:',
      '  - actions: [s3:GetObjet]',
      '    resources: ["arn:aws:s3:::acme-prod-logs/*"]',
      'duration: 2 hours',
      'start: 2020-01-01T00:00:00Z',
      'reason: Investigate the failed nightly export',
      'ticket: INC 42',
    ],
    expected: [
      { kind: 'config', path: 'account', line: 2, includes: 'did you mean "prod"?' },
      { kind: 'policy', path: 'permissions[0].actions[0]', line: 4, includes: 's3:GetObject' },
      { kind: 'schema', path: 'duration', line: 6, includes: '' },
      { kind: 'config', path: 'start', line: 7, includes: 'is in the past' },
      { kind: 'schema', path: 'ticket', line: 9, includes: 'must be a ticket reference' },
    ],
  },
  {
    name: 'a profile request: unknown requester, over-long duration, unknown field',
    lines: [
      'requester: nobody-here',
      'account: prod',
      'profile: s3-logs-read',
      'duration: 6h',
      'reason: Investigate the failed nightly export',
      'approver: alice',
    ],
    expected: [
      { kind: 'config', path: 'requester', line: 1, includes: 'is not in principals' },
      { kind: 'config', path: 'duration', line: 4, includes: '4h allowed by profile s3-logs-read' },
      { kind: 'schema', path: 'approver', line: 6, includes: 'unknown field "approver"' },
    ],
  },
  {
    name: 'a schema error on one field does not hide an unknown profile or a denied action',
    lines: [
      'requester: octocat',
      'account: staging',
      'profile: s3-log-read',
      'duration: 1h',
      'reason: short',
      'ticket: ABC-1',
    ],
    expected: [
      { kind: 'config', path: 'profile', line: 3, includes: 'did you mean "s3-logs-read"?' },
      { kind: 'schema', path: 'reason', line: 5, includes: 'at least 10 characters' },
      { kind: 'config', path: 'ticket', line: 6, includes: 'does not match the ticket format' },
    ],
  },
  {
    name: 'a denied action and a too-short reason and an unknown account',
    lines: [
      'requester: monalisa',
      'account: qa',
      'permissions:',
      '  - actions: [iam:CreateUser, s3:ListBucket]',
      '    resources: ["*"]',
      '    Effect: Deny',
      'duration: 1h',
      'reason: tiny',
    ],
    expected: [
      { kind: 'config', path: 'account', line: 2, includes: 'unknown account "qa"' },
      {
        kind: 'policy',
        path: 'permissions[0].actions[0]',
        line: 4,
        includes: 'never granted here',
      },
      { kind: 'schema', path: 'permissions[0].Effect', line: 6, includes: 'is not allowed' },
      { kind: 'schema', path: 'reason', line: 8, includes: 'at least 10 characters' },
    ],
  },
];

describe.each(cases)('$name', ({ lines, expected }) => {
  const result = planRequest({
    text: lines.join('\n') + '\n',
    file: 'requests/many-mistakes.yaml',
    config,
    now,
  });
  const problems = result.ok ? [] : result.problems;

  test.each(expected)('reports the $kind problem at $path (line $line)', (e) => {
    const found = problems.find((p) => p.path === e.path);
    expect(found).toMatchObject({
      severity: 'error',
      file: 'requests/many-mistakes.yaml',
      line: e.line,
    });
    expect(found?.message).toContain(e.includes);
  });

  test('reports nothing twice', () => {
    const keys = problems.map((p) => `${p.path}\0${p.message}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

test('the first case brings back at least four independent mistakes of all three kinds', () => {
  const first = cases[0]!;
  expect(first.expected.length).toBeGreaterThanOrEqual(4);
  expect(new Set(first.expected.map((e) => e.kind))).toEqual(
    new Set(['schema', 'config', 'policy']),
  );
});

describe('an unquoted account id', () => {
  const zeroLed: JitConfig = {
    ...config,
    accounts: {
      ...config.accounts,
      legacy: { ...config.accounts.prod!, alias: 'legacy', id: '012345678901' },
    },
  };
  const problemsFor = (account: string) => {
    const text = [
      'requester: octocat',
      `account: ${account}`,
      'profile: s3-logs-read',
      'duration: 1h',
      'reason: Investigate the failed nightly export',
    ].join('\n');
    const result = planRequest({ text, file: 'requests/by-id.yaml', config: zeroLed, now });
    return result.ok ? [] : result.problems;
  };

  test('leads with the alias of the account it names, then quoting', () => {
    expect(problemsFor('012345678901')).toEqual([
      expect.objectContaining({
        path: 'account',
        line: 2,
        message:
          'use the alias legacy from jit.config.yaml (account: legacy), or quote the id: YAML reads 012345678901 as a number (012345678901 becomes 12345678901)',
      }),
    ]);
  });

  test('an id without a leading zero still names the alias', () => {
    expect(problemsFor('123456789012')[0]?.message).toMatch(
      /^use the alias prod from jit\.config\.yaml/,
    );
  });

  test('a quoted id is told its alias too', () => {
    expect(problemsFor("'012345678901'")[0]?.message).toContain('write account: legacy');
  });
});
