/**
 * Converging on a policy that already exists, against the AWS emulator: the same grant is
 * adopted, a different one refused, and a read that fails is an error to retry, never a verdict.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { applyGrant, type PolicyGrant } from '../../src/aws/iam-grant.js';
import { buildPolicy } from '../../src/policy/build.js';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';

const ACCOUNT = '123456789012';
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:user/people/octocat`;
const T0 = new Date('2026-11-25T09:00:00Z');

let aws: AwsEmulator;
let iam: IAMClient;
beforeEach(async () => {
  aws = await startAwsEmulator({ clock: new Clock(T0) });
  aws.state.addUser({ name: 'octocat', path: '/people/' });
  iam = new IAMClient({
    ...aws.clientConfig(),
    retryStrategy: new ConfiguredRetryStrategy(3, () => 5),
  });
});
afterEach(() => aws.close());

function grant(actions: string[]): PolicyGrant {
  const policy = buildPolicy({
    requestId: 'octocat-logs',
    requester: 'octocat',
    principalArn: PRINCIPAL,
    statements: [{ actions, resources: ['arn:aws:s3:::acme-prod-logs/*'] }],
    window: { start: T0, expiry: new Date(T0.getTime() + 3600_000) },
  });
  if (!policy.ok) throw new Error(JSON.stringify(policy.problems));
  const { name, path, description, json, tags } = policy.value;
  return {
    accountId: ACCOUNT,
    principalArn: PRINCIPAL,
    name,
    path,
    description,
    document: json,
    tags,
  };
}

test('the same grant again is adopted, not created twice', async () => {
  expect(await applyGrant(iam, grant(['s3:GetObject']))).toMatchObject({
    ok: true,
    created: true,
    attached: true,
  });
  expect(await applyGrant(iam, grant(['s3:GetObject']))).toMatchObject({
    ok: true,
    created: false,
    attached: false,
  });
});

test('an existing policy with the same tags but another document is refused', async () => {
  await applyGrant(iam, grant(['s3:GetObject']));
  const outcome = await applyGrant(iam, grant(['s3:GetObject', 's3:PutObject']));
  expect(outcome).toMatchObject({ ok: false });
  if (!outcome.ok) expect(outcome.reason).toMatch(/document differs/);
});

test('when the existing document cannot be read, the grant fails as an AWS error, not as a mismatch', async () => {
  await applyGrant(iam, grant(['s3:GetObject']));
  aws.faults.inject({ action: 'GetPolicyVersion', kind: '5xx', times: 10 });
  const outcome = await applyGrant(iam, grant(['s3:GetObject']));
  expect(outcome).toMatchObject({ ok: false });
  if (!outcome.ok) expect(outcome.reason).not.toMatch(/differs/);
});
