/**
 * Twenty request PRs merged at once (five for one principal, one each for fifteen others): one
 * grant run grants all twenty, a sweep before expiry touches none, a second grant run grants
 * nothing new, and one sweep after expiry revokes all twenty. In process, with the real
 * Octokit and IAM clients over HTTP, as the broker role from deploy/ through OIDC → STS.
 */
import {
  ACCOUNT,
  awsCallsSince,
  grantRun,
  jitSnapshot,
  mergeRequests,
  scaleWorld,
  sweepRun,
  userArn,
  type ScaleWorld,
} from '../../bench/harness.js';

let w: ScaleWorld;
beforeAll(async () => {
  w = await scaleWorld({ users: 16 });
});
afterAll(() => w.close());

const commentsOn = (pr: number) =>
  w.gh.state.comments.filter((c) => c.issueNumber === pr).map((c) => c.body);

test('20 merges at once: 20 grants, no early revoke, no re-grant, one sweep revokes all', async () => {
  const [busy, ...others] = w.users;
  const requests = [
    ...Array.from({ length: 5 }, (_, i) => ({ user: busy!, id: `${busy}-task${i}` })),
    ...others.map((user) => ({ user, id: `${user}-logs` })),
  ];
  expect(requests).toHaveLength(20);
  const prs = mergeRequests(w, requests);

  // One run grants every one of them, each to its own requester.
  const first = await grantRun(w);
  expect(first.decisions.filter((d) => d.kind !== 'granted')).toEqual([]);
  expect(first.decisions).toHaveLength(20);
  expect(new Set(first.decisions.map((d) => d.pr))).toEqual(new Set(prs));
  const snapshot = jitSnapshot(w);
  expect(snapshot.policies.size).toBe(20);
  for (const { user, id } of requests) {
    const policy = snapshot.policies.get(`jit-${id}`);
    expect(policy?.attachedTo).toEqual([userArn(user)]);
    expect(policy?.tags['jit:request']).toBe(id);
    expect(snapshot.attachments.get(userArn(user))?.get(policy!.arn)).toBe(1);
  }
  expect(snapshot.attachments.get(userArn(busy!))?.size).toBe(5);
  const log = [...w.gh.state.resolveRef('acme/access', 'jit-log').files.keys()];
  for (const pr of prs) expect(log).toContain(`pr/${pr}/0001-granted.json`);

  // Every grant is live: the busy principal holds all five at once.
  const allowed = (user: string) =>
    w.aws.authorize({
      principalArn: userArn(user),
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::acme-prod-logs/x',
    });
  for (const { user } of requests) expect(allowed(user)).toBe('allowed');

  // A sweep an hour later (before any expiry) revokes nothing.
  w.aws.clock.advance(3600_000);
  expect(await sweepRun(w)).toEqual([]);
  expect(jitSnapshot(w).policies.size).toBe(20);

  // A second grant run (a duplicate push) grants nothing and writes nothing to IAM.
  const before = w.aws.state.cloudtrail.events.length;
  const second = await grantRun(w);
  expect(second.decisions).toEqual([]);
  const calls = awsCallsSince(w, before);
  expect([...calls.keys()].filter((name) => !/^(Get|List)/.test(name))).toEqual([]);
  expect(jitSnapshot(w).policies.size).toBe(20);

  // Past every expiry (2 h from the merge), one sweep revokes all twenty and tells each PR.
  w.aws.clock.advance(3600_000 + 1000);
  for (const { user } of requests) expect(allowed(user)).toBe('denied');
  const swept = await sweepRun(w);
  expect(swept.filter((d) => d.kind !== 'revoked')).toEqual([]);
  expect(swept).toHaveLength(20);
  expect(jitSnapshot(w).policies.size).toBe(0);
  for (const user of w.users)
    expect(w.aws.state.entity('user', ACCOUNT, user)?.attached ?? []).toEqual([]);
  for (const pr of prs) expect(commentsOn(pr).join('\n')).toContain('expired and removed');

  // Every IAM call was the broker's OIDC session, authorised by the template's own policy.
  const iamEvents = w.aws.state.cloudtrail.events.filter(
    (e) => e.eventSource === 'iam.amazonaws.com',
  );
  expect(iamEvents.length).toBeGreaterThan(0);
  for (const e of iamEvents) {
    const identity = e.record.userIdentity as { arn?: string };
    expect(identity.arn).toMatch(/^arn:aws:sts::\d{12}:assumed-role\/jit-access-broker\//);
    expect(e.record.errorCode).toBeUndefined();
  }
  expect(w.aws.state.cloudtrail.events.map((e) => e.eventName)).toContain(
    'AssumeRoleWithWebIdentity',
  );

  // Neither reconciler brings anything back.
  expect((await grantRun(w)).decisions).toEqual([]);
  expect(await sweepRun(w)).toEqual([]);
  expect(jitSnapshot(w).policies.size).toBe(0);
});
