/**
 * What one revoke costs in AWS calls, counted by the emulator's CloudTrail (every attempt), and
 * that the cheaper path keeps what the usage report and the clean-up rely on: the document as it
 * was just before deletion, and a policy someone gave extra versions by hand still deleted.
 */
import { CreatePolicyVersionCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  awsCallsSince,
  grantRun,
  jitSnapshot,
  mergeRequests,
  requestsFor,
  scaleWorld,
  sweepRun,
  type ScaleWorld,
} from '../../bench/harness.js';
import { readPolicyDocument } from '../../src/aws/policy-read.js';

let w: ScaleWorld;
beforeEach(async () => {
  w = await scaleWorld({ users: 1 });
});
afterEach(() => w.close());

/** One granted, now expired policy: its ARN and the document IAM holds for it. */
async function expiredGrant(): Promise<{ arn: string; document: unknown }> {
  mergeRequests(w, requestsFor(w, 1));
  expect((await grantRun(w)).decisions).toEqual([expect.objectContaining({ kind: 'granted' })]);
  const [policy] = [...jitSnapshot(w).policies.values()];
  w.aws.clock.advance(2 * 3600_000 + 1000);
  return { arn: policy!.arn, document: currentDocument(policy!.arn) };
}

const currentDocument = (arn: string): unknown =>
  JSON.parse(w.aws.state.policies.get(arn)!.versions.find((v) => v.isDefault)!.document);

/** An administrator's client (the broker cannot create policy versions). */
const admin = () => new IAMClient(w.aws.clientConfig());

test('a revoke is five AWS calls after the listing, and reports the document it deleted', async () => {
  const { document } = await expiredGrant();
  const since = w.aws.state.cloudtrail.events.length;

  const decisions = await sweepRun(w, { comment: false });

  expect(decisions).toEqual([expect.objectContaining({ kind: 'revoked', document })]);
  const calls = awsCallsSince(w, since);
  // The broker's session is renewed once per run and account, not per revoke.
  calls.delete('AssumeRoleWithWebIdentity');
  expect(Object.fromEntries(calls)).toEqual({
    ListPolicies: 1,
    ListPolicyTags: 1,
    GetPolicyVersion: 1,
    ListEntitiesForPolicy: 1,
    DetachUserPolicy: 1,
    DeletePolicy: 1,
  });
  expect(jitSnapshot(w).policies.size).toBe(0);
});

test('a jit policy given another version by hand is still deleted, with its current document', async () => {
  const { arn } = await expiredGrant();
  const edited = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
  };
  await admin().send(
    new CreatePolicyVersionCommand({
      PolicyArn: arn,
      PolicyDocument: JSON.stringify(edited),
      SetAsDefault: true,
    }),
  );

  const decisions = await sweepRun(w, { comment: false });

  expect(decisions).toEqual([expect.objectContaining({ kind: 'revoked', document: edited })]);
  expect(jitSnapshot(w).policies.size).toBe(0);
});

test('a default version changed since the listing is read afresh, not the listed one', async () => {
  const { arn, document } = await expiredGrant();
  const iam = await w.iamFor(w.account);
  const edited = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
  };
  expect(await readPolicyDocument(iam, arn, 'v1')).toEqual(document);
  await admin().send(
    new CreatePolicyVersionCommand({
      PolicyArn: arn,
      PolicyDocument: JSON.stringify(edited),
      SetAsDefault: true,
    }),
  );

  expect(await readPolicyDocument(iam, arn, 'v1')).toEqual(edited);
});
