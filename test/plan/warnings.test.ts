/** Warnings that save a wasted grant: each has a stable code and points at a line of the request. */
import { readFileSync } from 'node:fs';
import type { JitConfig } from '../../src/domain.js';
import { planRequest } from '../../src/plan/plan.js';
import { verdictInWords } from '../../src/plan/verdict-words.js';
import { parseConfig } from '../../src/request/parse-config.js';

const configText = readFileSync('jit.config.yaml', 'utf8');
const parse = (text: string): JitConfig => {
  const parsed = parseConfig(text, 'jit.config.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value;
};
const config = parse(configText);
const now = new Date('2026-11-25T09:00:00Z');

const custom = (actions: string[], resources: string[]) =>
  [
    'requester: monalisa',
    'account: staging',
    'permissions:',
    `  - actions: ${JSON.stringify(actions)}`,
    `    resources: ${JSON.stringify(resources)}`,
    'duration: 1h',
    'reason: Read last night’s export files from the staging bucket.',
  ].join('\n') + '\n';

function plan(text: string, cfg = config) {
  const result = planRequest({ text, file: 'requests/monalisa-export.yaml', config: cfg, now });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}
const warnings = (text: string, cfg = config) =>
  plan(text, cfg).warnings.map((w) => ({ code: w.code, path: w.path, line: w.line }));

test('an object action on a bucket ARN', () => {
  expect(warnings(custom(['s3:GetObject'], ['arn:aws:s3:::acme-staging-exports']))).toEqual([
    { code: 'ACTION_MATCHES_NO_RESOURCE', path: 'permissions[0].actions[0]', line: 4 },
  ]);
});

test('a bucket action on the objects', () => {
  expect(warnings(custom(['s3:ListBucket'], ['arn:aws:s3:::acme-staging-exports/*']))).toEqual([
    { code: 'ACTION_MATCHES_NO_RESOURCE', path: 'permissions[0].actions[0]', line: 4 },
  ]);
});

test('a resource in another account than the request’s', () => {
  const found = plan(custom(['sqs:ReceiveMessage'], ['arn:aws:sqs:eu-west-1:123456789012:jobs']));
  expect(found.warnings).toEqual([
    expect.objectContaining({
      code: 'RESOURCE_OTHER_ACCOUNT',
      path: 'permissions[0].resources[0]',
      line: 5,
      severity: 'warning',
      message: expect.stringContaining('is in account 123456789012, not staging (210987654321)'),
    }),
  ]);
});

test('a resource in another partition', () => {
  expect(warnings(custom(['s3:GetObject'], ['arn:aws-cn:s3:::acme-exports/*']))).toEqual([
    { code: 'RESOURCE_OTHER_PARTITION', path: 'permissions[0].resources[0]', line: 5 },
  ]);
});

test('the request’s own account, and account-less ARNs, raise nothing', () => {
  expect(
    warnings(
      custom(
        ['sqs:ReceiveMessage', 's3:GetObject'],
        ['arn:aws:sqs:eu-west-1:210987654321:jobs', 'arn:aws:s3:::acme-exports/*'],
      ),
    ),
  ).toEqual([]);
});

describe('approvers', () => {
  const typo = parse(
    configText.replace(
      'approvals: 1\n    approvers: [acme/sre]\n\n  readonly:',
      'approvals: 1\n    approvers: [acme/sre, monalsa]\n\n  readonly:',
    ),
  );
  const profile =
    'requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 1h\nreason: Investigate the failed nightly export\n';

  test('a login the config names nowhere is a warning at the profile line, with the likely name', () => {
    expect(plan(profile, typo).warnings).toEqual([
      expect.objectContaining({
        code: 'APPROVER_UNKNOWN',
        path: 'profile',
        line: 3,
        message: expect.stringContaining(
          'approver monalsa (profiles.s3-logs-read.approvers in jit.config.yaml) is neither a team (org/team) nor a person jit.config.yaml names (principals, people, identityCenter.users), so their approval may never come: did you mean monalisa?',
        ),
      }),
    ]);
  });

  test('teams and people the config names are known', () => {
    const named = parse(
      configText.replace(
        'approvals: 1\n    approvers: [acme/sre]\n\n  readonly:',
        'approvals: 1\n    approvers: [acme/sre, MonaLisa]\n\n  readonly:',
      ),
    );
    expect(plan(profile, named).warnings).toEqual([]);
  });
});

describe('the verdict in words', () => {
  test('low risk: the profile’s approvals', () => {
    const text = readFileSync('requests/example-profile.yaml', 'utf8');
    expect(verdictInWords(plan(text))).toBe('low risk: needs 1 approval from acme/sre');
  });

  test('high risk names the risky actions and the raised approvals', () => {
    const text = custom(
      ['iam:PassRole', 'lambda:CreateFunction'],
      ['arn:aws:iam::210987654321:role/app', 'arn:aws:lambda:eu-west-1:210987654321:function:*'],
    );
    expect(verdictInWords(plan(text))).toBe(
      'high risk (iam:PassRole, lambda:CreateFunction + iam:PassRole): needs 3 approvals from acme/security (1 more than usual, for the high risk)',
    );
  });

  test('several approvers read as any of them', () => {
    const text =
      'requester: octocat\naccount: prod\nprofile: readonly\nduration: 1h\nreason: Look at the instances behind the outage\n';
    expect(verdictInWords(plan(text))).toBe(
      'low risk: needs 1 approval from any of acme/sre, acme/platform',
    );
  });
});
