import { readFileSync } from 'node:fs';
import { parseRequest, parseRequestDocument, parseStart } from '../../src/request/parse-request.js';
import type { AccessRequest } from '../../src/domain.js';
import type { Problem } from '../../src/problem.js';

const FILE = 'requests/octocat-logs.yaml';
const BASE =
  'requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 2h\nreason: Investigate the failed nightly export\n';

function request(text: string, file = FILE): AccessRequest {
  const result = parseRequest(text, file);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

function problems(text: string, file = FILE): Problem[] {
  const result = parseRequest(text, file);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

test('a profile request becomes an AccessRequest with its id from the file name', () => {
  expect(request(`${BASE}ticket: INC-4211\n`)).toEqual({
    id: 'octocat-logs',
    requester: 'octocat',
    account: 'prod',
    profile: 's3-logs-read',
    durationMinutes: 120,
    reason: 'Investigate the failed nightly export',
    ticket: 'INC-4211',
  });
});

test('the example files parse', () => {
  for (const file of ['requests/example-profile.yaml', 'requests/example-custom.yaml']) {
    expect(parseRequest(readFileSync(file, 'utf8'), file).ok).toBe(true);
  }
});

test('custom permissions become plain statements; scalar condition values become strings', () => {
  const parsed = request(
    [
      'requester: octocat',
      'account: prod',
      'permissions:',
      '  - actions: [s3:GetObject]',
      '    resources: ["arn:aws:s3:::b/*"]',
      '    conditions:',
      '      Bool: {aws:SecureTransport: true}',
      '      NumericLessThan: {s3:max-keys: 10}',
      '      StringEquals: {aws:RequestedRegion: [eu-west-1, eu-central-1]}',
      'duration: 90m',
      'reason: Investigate the failed nightly export',
      '',
    ].join('\n'),
  );
  expect(parsed.permissions).toEqual([
    {
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::b/*'],
      conditions: {
        Bool: { 'aws:SecureTransport': 'true' },
        NumericLessThan: { 's3:max-keys': '10' },
        StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] },
      },
    },
  ]);
  expect(Object.getPrototypeOf(parsed.permissions?.[0])).toBe(Object.prototype);
});

test('an unquoted YAML timestamp is a start time; the reason is trimmed', () => {
  const parsed = request(
    `${BASE.replace('reason: Investigate the failed nightly export\n', 'reason: |\n  Investigate the failed nightly export\n')}start: 2026-03-02T09:30:00Z\n`,
  );
  expect(parsed.start).toEqual(new Date('2026-03-02T09:30:00Z'));
  expect(parsed.reason).toBe('Investigate the failed nightly export');
});

test('reasons may carry markdown, HTML and mentions: the report escapes them, the parser keeps them', () => {
  const reason = '@acme/admins <img src=x onerror=alert(1)> [x](https://evil.example) `tick`';
  expect(
    request(BASE.replace('Investigate the failed nightly export', JSON.stringify(reason))).reason,
  ).toBe(reason);
});

describe('file names', () => {
  test.each([
    ['requests/abc.yaml', 'abc'],
    ['requests/a-0-9.yaml', 'a-0-9'],
    [`requests/${'a'.repeat(64)}.yaml`, 'a'.repeat(64)],
    ['C:\\repo\\requests\\win-path.yaml', 'win-path'],
  ])('%s has id %s', (file, id) => {
    expect(request(BASE, file).id).toBe(id);
  });

  test.each([
    ['requests/ab.yaml', 'not a valid request id'],
    ['requests/-abc.yaml', 'not a valid request id'],
    ['requests/ABC.yaml', 'not a valid request id'],
    ['requests/a_b_c.yaml', 'not a valid request id'],
    [`requests/${'a'.repeat(65)}.yaml`, 'not a valid request id'],
    ['requests/abc.yml', 'rename it to abc.yaml'],
    ['requests/abc.json', 'must end in .yaml'],
    ['requests/abc', 'must end in .yaml'],
  ])('%s is refused', (file, message) => {
    const [first] = problems(BASE, file);
    expect(first).toMatchObject({ file, path: '', line: 1, column: 1 });
    expect(first?.message).toContain(message);
  });

  test('a bad file name is reported together with bad content', () => {
    const found = problems(BASE.replace('octocat', 'octo cat'), 'requests/A.yaml');
    expect(found.map((p) => p.path)).toEqual(['', 'requester']);
  });
});

describe('problems', () => {
  test('all problems are reported at once, in line order, each with file, line and column', () => {
    const found = problems(
      'requester: -x\naccount: 1\nprofile: p\npermissions: []\nduration: 0m\nreason: short\nextra: 1\n',
    );
    expect(found.map((p) => [p.path, p.line])).toEqual([
      ['requester', 1],
      ['account', 2],
      ['permissions', 4],
      ['permissions', 4],
      ['duration', 5],
      ['reason', 6],
      ['extra', 7],
    ]);
    for (const p of found)
      expect(p).toMatchObject({ file: FILE, severity: 'error', column: expect.any(Number) });
  });

  test('a typo names the field and suggests the known one', () => {
    const [first] = problems(BASE.replace('reason:', 'reasn:'));
    expect(first?.message).toBe('unknown field "reasn": did you mean "reason"?');
  });

  test('statements written in IAM JSON style are pointed at the request format', () => {
    const found = problems(
      'requester: octocat\naccount: prod\npermissions:\n  - Effect: Allow\n    Action: s3:GetObject\n    Resource: "*"\nduration: 1h\nreason: Investigate the failed nightly export\n',
    );
    expect(found.map((p) => p.message)).toEqual([
      '"Effect" is not allowed: every statement is an allow statement; Effect (and Deny) cannot be set',
      'unknown field "Action": did you mean "actions"?',
      'unknown field "Resource": did you mean "resources"?',
    ]);
  });

  test('a number where text belongs explains what YAML did with it', () => {
    const [first] = problems(BASE.replace('account: prod', 'account: 0123'));
    expect(first?.message).toContain('YAML reads 0123 as a number (0123 becomes 123); quote it');
  });

  test('a prototype key is refused and nothing is polluted', () => {
    const found = problems(`${BASE}__proto__: {isAdmin: true}\n`);
    expect(found[0]).toMatchObject({ path: '__proto__', line: 6, column: 1 });
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined();
  });
});

describe('locate', () => {
  test('later problems get the line of their path, or of the nearest enclosing field', () => {
    const parsed = parseRequestDocument(`${BASE}`, FILE);
    if (!parsed.ok) throw new Error('expected a request');
    const { locate } = parsed.value;
    expect(locate({ path: 'duration', message: 'm', severity: 'error' })).toMatchObject({
      file: FILE,
      line: 4,
      column: 11,
    });
    expect(locate({ path: 'ticket', message: 'm', severity: 'error' })).toMatchObject({
      file: FILE,
      line: 1,
      column: 1,
    });
    expect(
      locate({ path: 'x', message: 'm', severity: 'error', line: 9, column: 2 }),
    ).toMatchObject({ line: 9, column: 2 });
  });

  test('a statement problem points at the action itself', () => {
    const text =
      'requester: octocat\naccount: prod\npermissions:\n  - actions:\n      - s3:GetObject\n      - iam:PassRole\n    resources: ["*"]\nduration: 1h\nreason: Investigate the failed nightly export\n';
    const parsed = parseRequestDocument(text, FILE);
    if (!parsed.ok) throw new Error('expected a request');
    expect(
      parsed.value.locate({ path: 'permissions[0].actions[1]', message: 'm', severity: 'error' }),
    ).toMatchObject({ line: 6, column: 9 });
  });
});

describe('start', () => {
  test.each([
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['2026-03-02T09:30Z', '2026-03-02T09:30:00.000Z'],
    ['2026-03-02T09:30:15.5Z', '2026-03-02T09:30:15.500Z'],
  ])('%s is a real instant', (start, iso) => {
    expect(parseStart(start)?.toISOString()).toBe(iso);
  });

  test.each([
    '2026-02-29T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T23:59:60Z',
  ])('%s is not', (start) => {
    expect(parseStart(start)).toBeUndefined();
    expect(problems(`${BASE}start: ${start}\n`)[0]?.message).toContain(
      'is not a real date and time',
    );
  });
});

test('a flood of schema problems is capped', () => {
  const junk = Array.from({ length: 100 }, (_, i) => `junk${i}: 1`).join('\n');
  const found = problems(`${BASE}${junk}\n`);
  expect(found).toHaveLength(51);
  expect(found[50]).toMatchObject({ message: '50 more problems not shown', line: 56, file: FILE });
});
