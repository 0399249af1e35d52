import type { AccessRequest, JitConfig } from '../../src/domain.js';
import { resolveRequest } from '../../src/request/resolve.js';
import { checkFile, exampleConfig, NOW } from './corpus.js';

const config = exampleConfig();
const profileRequest: AccessRequest = {
  id: 'octocat-logs',
  requester: 'octocat',
  account: 'prod',
  profile: 's3-logs-read',
  durationMinutes: 120,
  reason: 'Investigate the failed nightly export',
};
const customRequest: AccessRequest = {
  id: 'mona-queue',
  requester: 'monalisa',
  account: 'staging',
  permissions: [{ actions: ['sqs:ListQueues'], resources: ['*'] }],
  durationMinutes: 60,
  reason: 'Check the queue names in staging',
};

function problemsOf(request: AccessRequest, cfg: JitConfig = config, now = NOW): string[] {
  const result = resolveRequest(request, cfg, now);
  if (result.ok) throw new Error('expected problems');
  return result.problems.map((p) => `${p.path}: ${p.message}`);
}

test('a profile request resolves to the profile statements, principal and approval rule', () => {
  const result = resolveRequest(profileRequest, config, NOW);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  expect(result.value).toEqual({
    request: profileRequest,
    account: config.accounts.prod,
    principalArn: 'arn:aws:iam::123456789012:user/people/octocat',
    grantee: { backend: 'iam', principalArn: 'arn:aws:iam::123456789012:user/people/octocat' },
    profile: 's3-logs-read',
    statements: config.profiles['s3-logs-read']?.statements,
    durationMinutes: 120,
    approvals: { required: 1, approvers: ['acme/sre'] },
  });
});

test('a custom request gets its own statements and the custom approval rule', () => {
  const result = resolveRequest(customRequest, config, NOW);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  expect(result.value.profile).toBeUndefined();
  expect(result.value.statements).toEqual(customRequest.permissions);
  expect(result.value.approvals).toEqual({ required: 2, approvers: ['acme/security'] });
  expect(result.value.principalArn).toBe('arn:aws:iam::210987654321:user/people/monalisa');
});

test('the examples in requests/ resolve against jit.config.yaml', () => {
  expect(checkFile('requests/example-profile.yaml', config)).toEqual([]);
  expect(checkFile('requests/example-custom.yaml', config)).toEqual([]);
});

test('GitHub logins match whatever their case', () => {
  const result = resolveRequest({ ...profileRequest, requester: 'OctoCat' }, config, NOW);
  expect(result.ok && result.value.principalArn).toBe(
    'arn:aws:iam::123456789012:user/people/octocat',
  );
});

test('names that exist on Object.prototype are unknown, not found', () => {
  expect(problemsOf({ ...profileRequest, account: 'constructor' })).toEqual([
    'account: unknown account "constructor": use one of prod, staging',
  ]);
  expect(problemsOf({ ...profileRequest, profile: 'tostring' })[0]).toContain(
    'unknown profile "tostring"',
  );
  expect(problemsOf({ ...profileRequest, requester: 'constructor' })[0]).toContain(
    'constructor is not in principals',
  );
});

test('custom permissions are refused when the config does not allow them', () => {
  const strict = { ...config, custom: { ...config.custom, allowed: false } };
  expect(problemsOf(customRequest, strict)).toEqual([
    'permissions: custom permissions are not accepted here: request a profile instead (s3-logs-read, readonly, ec2-restart, break-glass-admin)',
  ]);
});

describe('duration', () => {
  test.each([
    [15, true],
    [14, false],
    [240, true],
    [241, false],
  ])('%i minutes on a 4h profile: ok=%s', (minutes, allowed) => {
    expect(resolveRequest({ ...profileRequest, durationMinutes: minutes }, config, NOW).ok).toBe(
      allowed,
    );
  });

  test('a profile maximum above the defaults is capped by the defaults, and says so', () => {
    const loose = { ...config, defaults: { ...config.defaults, maxDurationMinutes: 60 } };
    expect(problemsOf(profileRequest, loose)).toEqual([
      'duration: 2h is longer than the 1h allowed by defaults.maxDuration in jit.config.yaml (it caps the 4h of profile s3-logs-read): ask for 1h or less',
    ]);
  });

  test('custom requests use the custom maximum', () => {
    expect(problemsOf({ ...customRequest, durationMinutes: 300 })).toEqual([
      'duration: 5h is longer than the 4h allowed by custom.maxDuration for custom permissions: ask for 4h or less',
    ]);
  });
});

describe('start', () => {
  const at = (iso: string): AccessRequest => ({ ...profileRequest, start: new Date(iso) });
  test.each([
    ['2026-02-28T23:55:00Z', true],
    ['2026-02-28T23:54:59Z', false],
    ['2026-03-15T00:00:00Z', true],
    ['2026-03-15T00:00:01Z', false],
  ])('%s against now 2026-03-01T00:00:00Z: ok=%s', (iso, allowed) => {
    expect(resolveRequest(at(iso), config, NOW).ok).toBe(allowed);
  });
});

describe('ticket', () => {
  const required = { ...config, ticket: { required: true, pattern: '^INC-[0-9]+$' } };
  test('a required ticket must be there', () => {
    expect(problemsOf(profileRequest, required)).toEqual([
      'ticket: a ticket is required: add ticket: with the incident or change id (matching ^INC-[0-9]+$)',
    ]);
  });
  test('a ticket must match the pattern, required or not', () => {
    expect(resolveRequest({ ...profileRequest, ticket: 'INC-1' }, required, NOW).ok).toBe(true);
    expect(problemsOf({ ...profileRequest, ticket: 'CHG-1' }, required)).toEqual([
      'ticket: "CHG-1" does not match the ticket format ^INC-[0-9]+$',
    ]);
    expect(problemsOf({ ...profileRequest, ticket: 'X-1' })[0]).toContain('does not match');
  });
});

test('every problem is reported at once', () => {
  const paths = problemsOf({
    ...profileRequest,
    account: 'prd',
    profile: 'nope',
    durationMinutes: 5,
    start: new Date('2020-01-01T00:00:00Z'),
    ticket: '#1',
  }).map((p) => p.split(':')[0]);
  expect(paths).toEqual(['account', 'profile', 'duration', 'start', 'ticket']);
});
