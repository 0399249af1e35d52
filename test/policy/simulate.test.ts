/**
 * Proof that the built policy is time-bound, by a real IAM evaluator (iam-simulate, AGPL:
 * tests only) rather than by reading our own output back.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import {
  buildPolicy,
  iamTime,
  type Conditions,
  type PolicyDocument,
} from '../../src/policy/build.js';
import { grantWindow } from '../../src/policy/window.js';

const ACCOUNT = '123456789012';
const BUCKET_OBJECT = 'arn:aws:s3:::reports/2026/q3.csv';
const window = grantWindow(new Date('2026-11-25T10:00:00.700Z'), 60, new Date());

function built(conditions?: Conditions): PolicyDocument {
  const policy = buildPolicy({
    requestId: 'alice-reports',
    requester: 'alice',
    principalArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
    statements: [
      {
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::reports/*'],
        ...(conditions ? { conditions } : {}),
      },
    ],
    window,
  });
  if (!policy.ok) throw new Error(JSON.stringify(policy.problems));
  return policy.value.document;
}

interface Ask {
  action?: string;
  resource?: string;
  conditions?: Conditions;
  context?: Record<string, string>;
}

async function decide(at: Date, ask: Ask = {}): Promise<string> {
  const { action = 's3:GetObject', resource = BUCKET_OBJECT, conditions, context = {} } = ask;
  const response = await runSimulation(
    {
      identityPolicies: [{ name: 'jit-alice-reports', policy: built(conditions) }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action,
        principal: `arn:aws:iam::${ACCOUNT}:user/alice`,
        resource: { accountId: ACCOUNT, resource },
        contextVariables: { ...context, 'aws:CurrentTime': iamTime(at) },
      },
    },
    {},
  );
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

const seconds = (date: Date, n: number) => new Date(date.getTime() + n * 1000);

test('allowed inside the window', async () => {
  expect(await decide(seconds(window.start, 1))).toBe('Allowed');
  expect(await decide(seconds(window.expiry, -1))).toBe('Allowed');
});

test('denied before the start and after the expiry', async () => {
  expect(await decide(seconds(window.start, -1))).toBe('ImplicitlyDenied');
  expect(await decide(seconds(window.expiry, 1))).toBe('ImplicitlyDenied');
});

test('denied for an action or a resource that was not requested, even inside the window', async () => {
  const inside = seconds(window.start, 1);
  expect(await decide(inside, { action: 's3:PutObject' })).toBe('ImplicitlyDenied');
  expect(await decide(inside, { resource: 'arn:aws:s3:::payroll/2026/q3.csv' })).toBe(
    'ImplicitlyDenied',
  );
});

test("the requester's own conditions still apply alongside the window", async () => {
  const conditions = { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } };
  const inside = seconds(window.start, 1);
  expect(await decide(inside, { conditions, context: { 'aws:SourceIp': '10.1.2.3' } })).toBe(
    'Allowed',
  );
  expect(await decide(inside, { conditions, context: { 'aws:SourceIp': '192.0.2.1' } })).toBe(
    'ImplicitlyDenied',
  );
  const after = seconds(window.expiry, 1);
  expect(await decide(after, { conditions, context: { 'aws:SourceIp': '10.1.2.3' } })).toBe(
    'ImplicitlyDenied',
  );
});
