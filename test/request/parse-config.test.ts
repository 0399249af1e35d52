import { readFileSync } from 'node:fs';
import { parseConfig } from '../../src/request/parse-config.js';
import type { Problem } from '../../src/problem.js';

const FILE = 'jit.config.yaml';
const EXAMPLE = readFileSync(FILE, 'utf8');

function problems(text: string): Problem[] {
  const result = parseConfig(text, FILE);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

/** The example config with one exact piece of text replaced (the replacement must apply). */
function edited(from: string, to: string): string {
  if (!EXAMPLE.includes(from)) throw new Error(`jit.config.yaml no longer contains ${from}`);
  return EXAMPLE.replace(from, to);
}

const lineOf = (text: string): number => EXAMPLE.slice(0, EXAMPLE.indexOf(text)).split('\n').length;

test('the example config is valid and complete', () => {
  const result = parseConfig(EXAMPLE, FILE);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const config = result.value;
  expect(Object.keys(config.accounts)).toEqual(['prod', 'staging']);
  expect(config.accounts.prod).toMatchObject({ alias: 'prod', id: '123456789012' });
  expect(Object.keys(config.profiles)).toEqual(
    expect.arrayContaining(['s3-logs-read', 'readonly', 'ec2-restart', 'break-glass-admin']),
  );
  expect(config.profiles['s3-logs-read']).toMatchObject({
    maxDurationMinutes: 240,
    approvals: 1,
    approvers: ['acme/sre'],
  });
  expect(config.custom).toEqual({
    allowed: true,
    approvals: 2,
    approvers: ['acme/security'],
    maxDurationMinutes: 240,
  });
  expect(config.denyActions).toEqual(
    expect.arrayContaining(['organizations:*', 'account:*', 'iam:CreateUser']),
  );
  expect(config.highRisk).toEqual({ policy: 'extra-approval', extraApprovals: 1 });
  expect(config.defaults).toEqual({
    maxDurationMinutes: 480,
    approvals: 1,
    runbook: 'runbooks/requester-context.yaml',
  });
});

test('lookups by a user-supplied name never reach Object.prototype', () => {
  const result = parseConfig(EXAMPLE, FILE);
  if (!result.ok) throw new Error('example invalid');
  const { accounts, principals, profiles } = result.value;
  expect(accounts.constructor).toBeUndefined();
  expect(principals.toString).toBeUndefined();
  expect(profiles.hasOwnProperty).toBeUndefined();
});

test('profiles and custom fall back to the defaults', () => {
  const result = parseConfig(
    edited(
      '    maxDuration: 4h\n    approvals: 1\n    approvers: [acme/sre]\n\n  readonly:',
      '\n  readonly:',
    ).replace('  approvals: 2\n  approvers: [acme/security]\n  maxDuration: 4h\n', ''),
    FILE,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  expect(result.value.profiles['s3-logs-read']).toMatchObject({
    maxDurationMinutes: 480,
    approvals: 1,
    approvers: [],
  });
  expect(result.value.custom).toEqual({
    allowed: true,
    approvals: 1,
    approvers: [],
    maxDurationMinutes: 480,
  });
});

test.each([
  [
    'an unquoted account id',
    ["id: '123456789012'", 'id: 012345678912'],
    'accounts.prod.id',
    'YAML reads 012345678912 as a number (012345678912 becomes 12345678912); quote it',
  ],
  [
    'a short account id',
    ["id: '123456789012'", 'id: "12345"'],
    'accounts.prod.id',
    'must be the 12-digit account id in quotes',
  ],
  [
    'a principal in another account',
    [
      'prod: arn:aws:iam::123456789012:user/people/octocat',
      'prod: arn:aws:iam::210987654321:user/people/octocat',
    ],
    'principals.octocat.prod',
    'is in account 210987654321, but prod is account 123456789012',
  ],
  [
    'a broker role in another account',
    ['brokerRole: arn:aws:iam::123456789012:role', 'brokerRole: arn:aws:iam::999999999999:role'],
    'accounts.prod.brokerRole',
    'is in account 999999999999',
  ],
  [
    'a principal for an unknown account',
    [
      '    staging: arn:aws:iam::210987654321:role/people/hubot',
      '    stage: arn:aws:iam::210987654321:role/people/hubot',
    ],
    'principals.hubot.stage',
    'unknown account "stage"',
  ],
  [
    'a principal that is not a user or role',
    ['user/people/monalisa\n    staging', 'group/people\n    staging'],
    'principals.monalisa.prod',
    'must be an IAM user or role ARN',
  ],
  [
    'an invalid GitHub login',
    ['  hubot:\n', '  hu_bot:\n'],
    'principals.hu_bot',
    'must be a GitHub login',
  ],
  [
    'a ticket pattern that does not compile',
    ['pattern: ^(INC|CHG)-[0-9]{1,8}$', 'pattern: ^(INC|CHG-[0-9]+$'],
    'ticket.pattern',
    'is not a valid regular expression',
  ],
  [
    'zero approvals',
    ['  approvals: 1\n  runbook', '  approvals: 0\n  runbook'],
    'defaults.approvals',
    'must be at least 1',
  ],
  [
    'a duration over 12h',
    ['maxDuration: 8h', 'maxDuration: 13h'],
    'defaults.maxDuration',
    'longer than the 12h limit',
  ],
  [
    'a profile longer than the default',
    [
      '    maxDuration: 4h\n    approvals: 1\n    approvers: [acme/sre]\n\n  readonly',
      '    maxDuration: 9h\n    approvals: 1\n    approvers: [acme/sre]\n\n  readonly',
    ],
    'profiles.s3-logs-read.maxDuration',
    '9h is longer than defaults.maxDuration (8h)',
  ],
  [
    'a duration without unit',
    ['maxDuration: 8h', 'maxDuration: 8'],
    'defaults.maxDuration',
    'add a unit',
  ],
  [
    'an unknown high-risk policy',
    ['policy: extra-approval', 'policy: warn'],
    'highRisk.policy',
    'must be one of "deny", "extra-approval"',
  ],
  [
    'an approver that is neither login nor team',
    ['approvers: [acme/security]', 'approvers: ["@acme/security"]'],
    'custom.approvers[0]',
    'must be a GitHub login (octocat) or a team',
  ],
  [
    'a repeated approver',
    ['approvers: [acme/security]', 'approvers: [acme/security, acme/security]'],
    'custom.approvers[1]',
    'repeats custom.approvers[0]',
  ],
  [
    'a deny action without service',
    ['  - account:*\n', '  - "*"\n'],
    'denyActions[1]',
    'must be an IAM action',
  ],
  ['a version other than 1', ['version: 1', 'version: 2'], 'version', 'must be 1'],
  [
    'a misspelt section',
    ['denyActions:', 'denyAction:'],
    'denyAction',
    'did you mean "denyActions"?',
  ],
  [
    'a NotAction in a profile',
    [
      '      - actions: [s3:GetObject, s3:ListBucket]',
      '      - NotAction: [s3:GetObject, s3:ListBucket]',
    ],
    'profiles.s3-logs-read.statements[0].NotAction',
    'only allow statements',
  ],
])('%s is refused at its line', (_name, [from, to], path, message) => {
  const found = problems(edited(from as string, to as string));
  const problem = found.find((p) => p.path === path);
  expect(problem?.message).toContain(message);
  expect(problem).toMatchObject({
    file: FILE,
    severity: 'error',
    line: expect.any(Number),
    column: expect.any(Number),
  });
});

test('the line is the line of the offending value', () => {
  const [problem] = problems(edited("id: '123456789012'", 'id: 012345678912'));
  expect(problem).toMatchObject({
    path: 'accounts.prod.id',
    line: lineOf("id: '123456789012'"),
    column: 9,
  });
});

test('YAML-level refusals apply to the config too', () => {
  const found = problems(`${EXAMPLE}\nextra: &x 1\n`);
  expect(found[0]?.message).toContain('anchors');
  expect(found[0]?.file).toBe(FILE);
});

test('a config that is not a mapping, or is missing sections, says which', () => {
  expect(problems('')[0]?.message).toBe('must be a mapping (key: value), not empty');
  expect(problems('version: 1\n').map((p) => p.message)).toContain(
    'the file is missing the required field "accounts"',
  );
});

describe('fixtures', () => {
  const parseFixture = (name: string) => {
    const file = `test/fixtures/config/${name}`;
    return parseConfig(readFileSync(file, 'utf8'), file);
  };

  test('a minimal config fills in the defaults', () => {
    const result = parseFixture('minimal.yaml');
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.value.accounts.sandbox?.id).toBe('000000000001');
    expect(result.value.profiles.readonly).toMatchObject({
      maxDurationMinutes: 60,
      approvals: 1,
      approvers: [],
    });
    expect(result.value.custom).toEqual({
      allowed: false,
      approvals: 1,
      approvers: [],
      maxDurationMinutes: 60,
    });
    expect(result.value.highRisk).toEqual({ policy: 'deny', extraApprovals: 1 });
    expect(result.value.ticket).toEqual({ required: true });
  });

  test('every cross-check failure is reported at its line', () => {
    const result = parseFixture('cross-checks.yaml');
    if (result.ok) throw new Error('expected problems');
    const found = result.problems.map((p) => ({ path: p.path, line: p.line, message: p.message }));
    expect(found).toEqual([
      {
        path: 'accounts.sandbox.brokerRole',
        line: 10,
        message: expect.stringContaining(
          'is in account 000000000002, but sandbox is account 000000000001',
        ),
      },
      {
        path: 'principals.octocat.sandbox',
        line: 14,
        message: expect.stringContaining('is in account 000000000003'),
      },
      {
        path: 'principals.octocat.prod',
        line: 15,
        message: expect.stringContaining('unknown account "prod"'),
      },
      {
        path: 'profiles.readonly.maxDuration',
        line: 22,
        message: expect.stringContaining('3h is longer than defaults.maxDuration (2h)'),
      },
      {
        path: 'custom.maxDuration',
        line: 25,
        message: expect.stringContaining('has 90 minutes after the hours'),
      },
      {
        path: 'ticket.pattern',
        line: 31,
        message: expect.stringContaining('is not a valid regular expression'),
      },
    ]);
  });
});

describe('accounts.<alias>.cloudtrail.athena', () => {
  /** The example with its commented-out Athena block for prod turned on, `edit` applied to it. */
  const withAthena = (edit: (block: string) => string = (b) => b): string => {
    const commented = EXAMPLE.slice(EXAMPLE.indexOf('    # cloudtrail:'));
    const block = commented.slice(0, commented.indexOf('\n  staging:') + 1);
    const uncommented = block.replace(/^ {4}# ?/gm, '    ').replace(/ # .*$/gm, '');
    return EXAMPLE.replace(block, edit(uncommented));
  };
  const lineIn = (text: string, needle: string): number =>
    text.slice(0, text.indexOf(needle)).split('\n').length;

  test('the example block parses into the account', () => {
    const result = parseConfig(withAthena(), FILE);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.value.accounts.prod?.cloudtrail).toEqual({
      athena: {
        database: 'cloudtrail',
        table: 'org_trail',
        region: 'eu-west-1',
        workgroup: 'jit-access',
        outputLocation: 's3://acme-athena-results/jit-access/',
      },
    });
  });

  test('the block is optional: accounts without it read LookupEvents', () => {
    const result = parseConfig(EXAMPLE, FILE);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.value.accounts.prod?.cloudtrail).toBeUndefined();
    expect(result.value.accounts.staging?.cloudtrail).toBeUndefined();
  });

  test('a region that is not one of the account’s is refused at its line', () => {
    const text = withAthena((b) => b.replace('region: eu-west-1', 'region: ap-south-1'));
    const found = problems(text);
    expect(found).toEqual([
      expect.objectContaining({
        path: 'accounts.prod.cloudtrail.athena.region',
        line: lineIn(text, 'region: ap-south-1'),
        message: expect.stringContaining("ap-south-1 is not one of prod's regions"),
      }),
    ]);
  });

  test('a region that is no region is refused by the schema at its line', () => {
    const text = withAthena((b) => b.replace('region: eu-west-1', 'region: europe'));
    const [problem] = problems(text);
    expect(problem).toMatchObject({
      path: 'accounts.prod.cloudtrail.athena.region',
      line: lineIn(text, 'region: europe'),
      message: expect.stringContaining('must be an AWS region'),
    });
  });

  test('a missing field is refused at the block’s line', () => {
    const text = withAthena((b) => b.replace(/^ +database: cloudtrail\n/m, ''));
    const found = problems(text);
    expect(found).toHaveLength(1);
    // The block's mapping starts on the line after `athena:`: that is where the field is missing.
    expect(found[0]).toMatchObject({
      file: FILE,
      severity: 'error',
      path: 'accounts.prod.cloudtrail.athena',
      line: lineIn(text, 'athena:') + 1,
      message: expect.stringContaining('database'),
    });
  });

  test('neither outputLocation nor workgroup: nowhere for results, refused at the block', () => {
    const text = withAthena((b) =>
      b.replace(/^ +workgroup: .*\n/m, '').replace(/^ +outputLocation: .*\n/m, ''),
    );
    const found = problems(text);
    expect(found).toEqual([
      expect.objectContaining({
        path: 'accounts.prod.cloudtrail.athena',
        line: expect.any(Number),
        message: expect.stringContaining('neither outputLocation nor workgroup'),
      }),
    ]);
  });

  test.each([
    ['a table name that could inject SQL', ['table: org_trail', 'table: "x; DROP"'], 'table'],
    ['an output location that is not s3://', ['s3://acme', 'https://acme'], 'outputLocation'],
    ['an unknown field', ['table: org_trail', 'table: org_trail\n        catalog: x'], 'catalog'],
  ])('%s is refused', (_name, [from, to], field) => {
    const found = problems(withAthena((b) => b.replace(from!, to!)));
    expect(found.map((p) => `${p.path} ${p.message}`).join('\n')).toContain(field);
    expect(found.every((p) => typeof p.line === 'number')).toBe(true);
  });
});

describe('hidden and look-alike characters in what reaches a policy', () => {
  test.each([
    [
      'a Cyrillic о in a profile condition value',
      [
        '          - arn:aws:s3:::acme-prod-logs/*\n    maxDuration: 4h',
        '          - arn:aws:s3:::acme-prod-logs/*\n        conditions:\n          StringNotEquals:\n            aws:ResourceTag/env: "pr\u043ed"\n    maxDuration: 4h',
      ],
      'profiles.s3-logs-read.statements[0].conditions.StringNotEquals.aws:ResourceTag/env',
      'U+043E (Cyrillic small letter "\u043e") at character 3',
    ],
    [
      'a zero-width space in a profile resource',
      ['- arn:aws:s3:::acme-prod-logs/*', '- "arn:aws:s3:::acme-prod-logs\u200b/*"'],
      'profiles.s3-logs-read.statements[0].resources[1]',
      'U+200B (ZERO WIDTH SPACE) at character 28',
    ],
    [
      'a Greek omicron in a profile action',
      ['actions: [s3:GetObject, s3:ListBucket]', 'actions: ["s3:Get\u039fbject", s3:ListBucket]'],
      'profiles.s3-logs-read.statements[0].actions[0]',
      'U+039F (Greek capital letter "\u039f") at character 7, which is not ASCII',
    ],
    [
      'a Cyrillic е in a profile name',
      ['  s3-logs-read:\n', '  s3-logs-r\u0435ad:\n'],
      'profiles.s3-logs-r\u0435ad',
      'the key contains U+0435 (Cyrillic small letter "\u0435") at character 10',
    ],
    [
      'a bidi override in a principal ARN',
      [
        'prod: arn:aws:iam::123456789012:user/people/octocat',
        'prod: "arn:aws:iam::123456789012:user/people/octo\u202ecat"',
      ],
      'principals.octocat.prod',
      'U+202E (RIGHT-TO-LEFT OVERRIDE) at character 43',
    ],
  ])('%s is refused at its line, naming the code point', (_, [from, to], path, message) => {
    const text = edited(from!, to!);
    const found = problems(text);
    expect(found).toEqual([
      expect.objectContaining({ path, line: expect.any(Number), column: expect.any(Number) }),
    ]);
    expect(found[0]!.message).toContain(message);
    // The line given is the one with the offending character on it.
    const offending = [...to!].find((ch) => ch > '\u007f')!;
    expect(text.split('\n')[found[0]!.line! - 1]).toContain(offending);
  });
});
