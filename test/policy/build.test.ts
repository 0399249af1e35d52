import type { PermissionStatement } from '../../src/domain.js';
import { buildPolicy, MANAGED_POLICY_LIMIT, type BuildInput } from '../../src/policy/build.js';

const window = {
  start: new Date('2026-11-25T10:00:00Z'),
  expiry: new Date('2026-11-25T12:00:00Z'),
};
const input = (statements: PermissionStatement[], extra: Partial<BuildInput> = {}): BuildInput => ({
  requestId: 'alice-reports',
  requester: 'alice',
  principalArn: 'arn:aws:iam::123456789012:user/ops/alice',
  statements,
  window,
  ...extra,
});
const READ = { actions: ['S3:getobject', 's3:List*'], resources: ['arn:aws:s3:::reports/*'] };

function built(statements: PermissionStatement[], extra: Partial<BuildInput> = {}) {
  const result = buildPolicy(input(statements, extra));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

test('one time-bound Allow statement per input statement, actions in canonical casing', () => {
  const policy = built([READ, { actions: ['ec2:DescribeInstances'], resources: ['*'] }]);
  expect(policy.name).toBe('jit-alice-reports');
  expect(policy.path).toBe('/jit/');
  expect(policy.document).toEqual({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Jit0',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:List*'],
        Resource: ['arn:aws:s3:::reports/*'],
        Condition: {
          DateGreaterThan: { 'aws:CurrentTime': '2026-11-25T10:00:00Z' },
          DateLessThan: { 'aws:CurrentTime': '2026-11-25T12:00:00Z' },
        },
      },
      expect.objectContaining({ Sid: 'Jit1', Action: ['ec2:DescribeInstances'], Resource: ['*'] }),
    ],
  });
});

test('the JSON is minified and the size is what IAM counts', () => {
  const policy = built([READ]);
  expect(policy.json).toBe(JSON.stringify(policy.document));
  expect(policy.json).not.toMatch(/\n|": /);
  expect(policy.size).toBe(policy.json.replace(/\s/g, '').length);
});

test('user conditions are kept and merged with the window', () => {
  const policy = built([
    {
      ...READ,
      conditions: {
        IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] },
        DateGreaterThan: { 'aws:TokenIssueTime': '2026-11-25T09:00:00Z' },
      },
    },
  ]);
  expect(policy.document.Statement[0]!.Condition).toEqual({
    IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] },
    DateGreaterThan: {
      'aws:TokenIssueTime': '2026-11-25T09:00:00Z',
      'aws:CurrentTime': '2026-11-25T10:00:00Z',
    },
    DateLessThan: { 'aws:CurrentTime': '2026-11-25T12:00:00Z' },
  });
});

test.each([
  ['DateLessThan', 'aws:CurrentTime'],
  ['DateGreaterThan', 'AWS:currenttime'],
  ['DateLessThanEquals', 'aws:CurrentTime'],
])('a user condition %s on %s cannot override the window', (operator, key) => {
  const result = buildPolicy(
    input([READ, { ...READ, conditions: { [operator]: { [key]: '2030-01-01T00:00:00Z' } } }]),
  );
  expect(result).toEqual({
    ok: false,
    problems: [
      {
        path: `permissions[1].conditions.${operator}`,
        severity: 'error',
        message: `\`${key}\` is set by the grant window: request a start and durationMinutes instead`,
      },
    ],
  });
});

test('tags carry the grant facts within IAM tag rules', () => {
  const policy = built([READ], { pr: 42, principalArn: 'arn:aws:iam::123456789012:user/a,b' });
  expect(policy.tags).toEqual([
    { Key: 'jit:request', Value: 'alice-reports' },
    { Key: 'jit:requester', Value: 'alice' },
    { Key: 'jit:principal', Value: 'arn:aws:iam::123456789012:user/a_b' },
    { Key: 'jit:start', Value: '2026-11-25T10:00:00Z' },
    { Key: 'jit:expiry', Value: '2026-11-25T12:00:00Z' },
    { Key: 'jit:pr', Value: '42' },
  ]);
  expect(built([READ]).tags.map((t) => t.Key)).not.toContain('jit:pr');
  const long = built([READ], { requester: 'x'.repeat(300) });
  expect(long.tags[1]!.Value).toHaveLength(256);
  expect(long.description.length).toBeLessThanOrEqual(1000);
  expect(built([READ], { pr: 7 }).description).toBe(
    'jit-access grant alice-reports for alice, valid 2026-11-25T10:00:00Z to 2026-11-25T12:00:00Z (PR #7)',
  );
});

test('a policy over the managed policy limit is refused with how much over', () => {
  const statements = Array.from({ length: 40 }, (_, i) => ({
    actions: ['s3:GetObject', 's3:PutObject'],
    resources: [`arn:aws:s3:::bucket-${i}/some/long/prefix/*`],
  }));
  const result = buildPolicy(input(statements));
  expect(result.ok).toBe(false);
  if (result.ok) return;
  const over = Number(/(\d+) over/.exec(result.problems[0]!.message)?.[1]);
  const size = Number(/would be (\d+) characters/.exec(result.problems[0]!.message)?.[1]);
  expect(size - over).toBe(MANAGED_POLICY_LIMIT);
  expect(result.problems[0]).toMatchObject({ path: 'permissions', severity: 'error' });
  expect(result.problems[0]!.message).toMatch(/fewer statements.*wildcards/);
  // The same statements fit once fewer of them are needed.
  expect(buildPolicy(input(statements.slice(0, 10))).ok).toBe(true);
});

test('a hidden or look-alike character never reaches a policy, whoever calls the builder', () => {
  const result = buildPolicy(
    input([
      {
        actions: ['ec2:TerminateInstances'],
        resources: ['arn:aws:ec2:*:*:instance/*\u200b'],
        conditions: { StringNotEquals: { 'aws:ResourceTag/env': 'pr\u043ed' } },
      },
    ]),
  );
  expect(result).toEqual({
    ok: false,
    problems: [
      expect.objectContaining({
        path: 'permissions[0].resources[0]',
        message: expect.stringContaining('U+200B (ZERO WIDTH SPACE)'),
      }),
      expect.objectContaining({
        path: 'permissions[0].conditions.StringNotEquals.aws:ResourceTag/env',
        message: expect.stringContaining('U+043E (Cyrillic small letter'),
      }),
    ],
  });
});
