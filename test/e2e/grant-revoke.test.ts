/**
 * The whole life of a grant, with the built actions run as a runner runs them, against the
 * GitHub and AWS emulators: request comment, approval, merge, grant through OIDC, access that
 * IAM itself ends at expiry, the sweep, and the trail CloudTrail keeps of it all.
 */
import { GetPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  OCTOCAT_ARN,
  REPO,
  T0,
  prOpened,
  pushed,
  requestFile,
  run,
  scheduled,
  world,
  type World,
  GRANT,
  REVOKE,
  jitPolicies,
} from './world.js';

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w.close());

const LOG_OBJECT = 'arn:aws:s3:::acme-prod-logs/2026/11/24/export.log';
const allowed = (action: string, resource = LOG_OBJECT) =>
  w.aws.authorize({ principalArn: OCTOCAT_ARN, action, resource });
const admin = () => new IAMClient(w.aws.clientConfig());
const commentsOn = (pr: number) => w.gh.state.comments.filter((c) => c.issueNumber === pr);

test('request → approve → merge → grant → expiry → revoke, end to end', async () => {
  // A PR adds the request; the request check comments on it.
  const pr = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-logs.yaml': requestFile() },
  });
  const checked = await run(w, 'request', prOpened(w, pr.number));
  expect(checked.stdout).not.toContain('::error');
  expect(checked.outputs.valid).toBe('true');
  expect(commentsOn(pr.number)).toHaveLength(1);
  expect(allowed('s3:GetObject')).toBe('denied');

  // An SRE approves the final commit; it is merged.
  w.gh.state.review(REPO, pr.number, { user: 'sre-bob', state: 'APPROVED' });
  w.aws.clock.advance(60_000);
  w.gh.state.merge(REPO, pr.number, { by: 'sre-bob' });
  // The push workflow starts half a minute later; the window runs from the merge.
  w.aws.clock.advance(30_000);

  // The grant workflow: OIDC → STS → IAM, as the broker role from deploy/.
  const granted = await run(w, 'grant', pushed(), GRANT);
  expect(granted.stdout).not.toContain('::error');
  expect(granted.code).toBe(0);
  const grants = JSON.parse(granted.outputs.granted ?? '[]') as {
    policyArn: string;
    expiry: string;
  }[];
  expect(grants).toHaveLength(1);
  expect(grants[0]!.policyArn).toBe('arn:aws:iam::123456789012:policy/jit/jit-octocat-logs');
  const expiry = new Date(grants[0]!.expiry);
  expect(expiry.getTime()).toBe(T0.getTime() + 60_000 + 2 * 3600_000);
  expect(commentsOn(pr.number).some((c) => c.body.includes('granted'))).toBe(true);

  // Exactly what was approved, nothing more.
  expect(allowed('s3:GetObject')).toBe('allowed');
  expect(allowed('s3:PutObject')).toBe('denied');
  expect(allowed('s3:GetObject', 'arn:aws:s3:::acme-billing/invoice.pdf')).toBe('denied');

  // A second run (a retried or duplicate trigger) grants nothing new and breaks nothing.
  const again = await run(w, 'grant', pushed(), GRANT);
  expect(again.code).toBe(0);
  expect(JSON.parse(again.outputs.granted ?? '[]')).toEqual([]);
  expect(await jitPolicies(w)).toHaveLength(1);

  // Past expiry, IAM denies before any sweep has run.
  w.aws.clock.set(new Date(expiry.getTime() + 1000));
  expect(allowed('s3:GetObject')).toBe('denied');
  expect(await jitPolicies(w)).toHaveLength(1);

  // The sweep removes it and tells the PR.
  const revoked = await run(w, 'revoke', scheduled(w), REVOKE);
  expect(revoked.stdout).not.toContain('::error');
  expect(revoked.code).toBe(0);
  expect(JSON.parse(revoked.outputs.revoked ?? '[]')).toEqual([
    expect.objectContaining({ request: 'octocat-logs', reason: 'expired' }),
  ]);
  expect(await jitPolicies(w)).toHaveLength(0);
  await expect(
    admin().send(new GetPolicyCommand({ PolicyArn: grants[0]!.policyArn })),
  ).rejects.toMatchObject({ Code: 'NoSuchEntity' });
  const revokeComment = commentsOn(pr.number).find((c) => c.body.includes('expired and removed'));
  expect(revokeComment?.body).toContain('What it was used for');

  // A later grant run does not resurrect it.
  const after = await run(w, 'grant', pushed(), GRANT);
  expect(JSON.parse(after.outputs.granted ?? '[]')).toEqual([]);
  expect(await jitPolicies(w)).toHaveLength(0);

  // CloudTrail holds the whole trail, made by the broker's OIDC session.
  const names = w.aws.state.cloudtrail.events.map((e) => e.record.eventName);
  for (const name of [
    'AssumeRoleWithWebIdentity',
    'CreatePolicy',
    'AttachUserPolicy',
    'DetachUserPolicy',
    'DeletePolicy',
  ]) {
    expect(names).toContain(name);
  }
});
