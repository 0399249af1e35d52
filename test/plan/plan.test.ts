import { readFileSync } from 'node:fs';
import type { JitConfig } from '../../src/domain.js';
import { planRequest } from '../../src/plan/plan.js';
import { parseConfig } from '../../src/request/parse-config.js';

const configText = readFileSync('jit.config.yaml', 'utf8');
const parsed = parseConfig(configText, 'jit.config.yaml');
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const config: JitConfig = parsed.value;
const now = new Date('2026-11-25T09:00:00Z');

const custom = (actions: string[], resources = ['*']) =>
  [
    'requester: monalisa',
    'account: staging',
    'permissions:',
    `  - actions: ${JSON.stringify(actions)}`,
    `    resources: ${JSON.stringify(resources)}`,
    'duration: 1h',
    'reason: Rotate the deploy role during the CHG-1200 change window.',
  ].join('\n') + '\n';

test('a profile request plans to the profile statements with its approval rule', () => {
  const plan = planRequest({
    text: readFileSync('requests/example-profile.yaml', 'utf8'),
    file: 'requests/example-profile.yaml',
    config,
    now,
  });
  if (!plan.ok) throw new Error(JSON.stringify(plan.problems));
  expect(plan.value.verdict).toBe('grantable');
  expect(plan.value.approvals).toEqual({ required: 1, approvers: ['acme/sre'] });
  expect(plan.value.policy.document.Statement[0]!.Action).toEqual([
    's3:GetObject',
    's3:ListBucket',
  ]);
  expect(plan.value.startsWhenGranted).toBe(true);
});

test('a high-risk custom request needs the extra approvals the config asks for', () => {
  const plan = planRequest({
    text: custom(['iam:PassRole', 'lambda:CreateFunction']),
    file: 'requests/pass-role.yaml',
    config,
    now,
  });
  if (!plan.ok) throw new Error(JSON.stringify(plan.problems));
  expect(plan.value.verdict).toBe('needs-extra-approval');
  expect(plan.value.approvals.required).toBe(
    config.custom.approvals + config.highRisk.extraApprovals,
  );
  expect(plan.value.lint.risks.map((r) => r.action)).toContain('iam:PassRole');
});

test('with highRisk.policy deny, the same request is refused with the reason on its line', () => {
  const strict: JitConfig = { ...config, highRisk: { policy: 'deny', extraApprovals: 0 } };
  const plan = planRequest({
    text: custom(['iam:PassRole', 'lambda:CreateFunction']),
    file: 'requests/pass-role.yaml',
    config: strict,
    now,
  });
  expect(plan.ok).toBe(false);
  if (plan.ok) return;
  const risk = plan.problems.find((p) => /high-risk/.test(p.message));
  expect(risk).toMatchObject({ file: 'requests/pass-role.yaml', line: 4 });
});

test('a denied action is refused even when a wildcard only implies it', () => {
  const plan = planRequest({
    text: custom(['iam:Create*']),
    file: 'requests/iam-create.yaml',
    config,
    now,
  });
  expect(plan.ok).toBe(false);
  if (plan.ok) return;
  expect(plan.problems.map((p) => p.message).join('\n')).toMatch(
    /iam:CreateUser|iam:CreateAccessKey/,
  );
  expect(plan.problems[0]).toMatchObject({
    path: expect.stringMatching(/^permissions\[0\]\.actions/),
    line: 4,
  });
});

test('a typo in an action is an error naming the line and a suggestion', () => {
  const plan = planRequest({
    text: custom(['sqs:RecieveMessage']),
    file: 'requests/typo.yaml',
    config,
    now,
  });
  expect(plan.ok).toBe(false);
  if (plan.ok) return;
  expect(plan.problems[0]).toMatchObject({ line: 4 });
  expect(plan.problems[0]!.message).toContain('sqs:ReceiveMessage');
});

test('a profile that grants a denied action is refused, pointing at the request profile line', () => {
  const denied: JitConfig = { ...config, denyActions: [...config.denyActions, 's3:ListBucket'] };
  const plan = planRequest({
    text: readFileSync('requests/example-profile.yaml', 'utf8'),
    file: 'requests/example-profile.yaml',
    config: denied,
    now,
  });
  expect(plan.ok).toBe(false);
  if (plan.ok) return;
  expect(plan.problems[0]).toMatchObject({
    path: 'profile',
    line: 4,
    file: 'requests/example-profile.yaml',
  });
  expect(plan.problems[0]!.message).toMatch(
    /^s3-logs-read statements\[0\]\.actions\[1\]: .*s3:ListBucket/,
  );
});
