/**
 * The reconcilers under 20% AWS faults (throttling, 5xx and responses dropped after the change
 * was applied, mixed, seeded so every run is the same), plus a grant run whose GitHub side dies
 * after IAM succeeded: re-running converges to exactly the approved grants, and after expiry the
 * sweeps converge to nothing, with no orphan policy, no double attachment and no missed revoke.
 */
import {
  ACCOUNT,
  awsCallsSince,
  grantRun,
  injectFaults,
  jitSnapshot,
  mergeRequests,
  requestsFor,
  scaleWorld,
  sweepRun,
  total,
  userArn,
  type ScaleWorld,
} from '../../bench/harness.js';

/** Enough for every kind of fault to land on grants and sweeps; bench/grants.ts runs 1,000. */
const GRANTS = 40;
const FAULT_RATE = 0.2;
const MAX_RUNS = 5;
/** Seeded faults: the same run every time; FAULT_SEED=n explores another pattern. */
const SEED = Number(process.env.FAULT_SEED ?? 2026);

let w: ScaleWorld;
beforeAll(async () => {
  // Ten grants a user (IAM's attachment quota); the later tests spread theirs over six.
  w = await scaleWorld({ users: Math.max(GRANTS / 10, 6) });
});
afterAll(() => w.close());

const commentsOn = (pr: number) => w.gh.state.comments.filter((c) => c.issueNumber === pr);
/** The kinds the decision log holds for a PR, read from the log branch as any reader would. */
const recordsOf = (pr: number) =>
  [...w.gh.state.resolveRef('acme/access', 'jit-log').files.keys()]
    .filter((p) => p.startsWith(`pr/${pr}/`))
    .map((p) => /-([a-z-]+?)(?:-c\d+)?\.json$/.exec(p)![1]);

test(`${GRANTS} grants and their sweep converge under ${FAULT_RATE * 100}% AWS faults`, async () => {
  const requests = requestsFor(w, GRANTS);
  const prs = mergeRequests(w, requests);
  injectFaults(w, FAULT_RATE, SEED);
  const faultsBefore = w.aws.state.cloudtrail.events.length;

  // Grant runs until one has no AWS-caused delay. The first run's adapter dies after 25
  // comments (GitHub failing after IAM succeeded): the decision log, not the comments, keeps
  // those PRs from being judged twice.
  const runs = [];
  for (let i = 0; i < MAX_RUNS; i++) {
    const result = await grantRun(w, i === 0 ? { commentOnly: 25 } : {});
    runs.push(result);
    // An outage delays, never refuses: a refusal here would be final, and a bug.
    expect(result.decisions.filter((d) => d.kind === 'refused')).toEqual([]);
    if (result.awsDelays.length === 0 && i > 0) break;
  }
  const last = runs.at(-1)!;
  expect(last.awsDelays).toEqual([]);
  expect(runs.length).toBeLessThanOrEqual(MAX_RUNS);
  // The faults were real: the first run delayed some grants for AWS errors.
  expect(runs[0]!.awsDelays.length).toBeGreaterThan(0);
  // Each PR was granted by exactly one run.
  const grantedPrs = runs
    .flatMap((r) => r.decisions)
    .filter((d) => d.kind === 'granted')
    .map((d) => d.pr);
  expect(new Set(grantedPrs).size).toBe(grantedPrs.length);
  const grantCalls = awsCallsSince(w, faultsBefore);
  const errors = w.aws.state.cloudtrail.events
    .slice(faultsBefore)
    .filter((e) => e.record.errorCode).length;
  expect(errors).toBeGreaterThan(0.1 * total(grantCalls));

  // Invariants, from IAM's own state.
  const snapshot = jitSnapshot(w);
  expect([...snapshot.policies.keys()].sort()).toEqual(requests.map((r) => `jit-${r.id}`).sort());
  requests.forEach(({ user, id }, i) => {
    const policy = snapshot.policies.get(`jit-${id}`)!;
    expect(policy.tags['jit:request']).toBe(id);
    expect(policy.tags['jit:pr']).toBe(String(prs[i]));
    expect(policy.attachedTo).toEqual([userArn(user)]);
    // Attached once, and the PR records it as granted.
    expect(snapshot.attachments.get(userArn(user))?.get(policy.arn)).toBe(1);
    expect(recordsOf(prs[i]!)).toEqual(['granted']);
  });
  for (const counts of snapshot.attachments.values())
    for (const n of counts.values()) expect(n).toBe(1);

  // A further run, still under faults, has nothing left to do.
  expect((await grantRun(w)).decisions).toEqual([]);

  // Past every expiry, sweeps under the same faults converge to no /jit/ policy at all.
  w.aws.clock.advance(2 * 3600_000 + 1000);
  const revoked = new Set<string>();
  let sweeps = 0;
  for (; sweeps < MAX_RUNS && jitSnapshot(w).policies.size > 0; sweeps++) {
    for (const d of await sweepRun(w)) {
      expect(d.kind).not.toBe('unmanaged');
      if (d.kind === 'revoked') {
        // Revoked once: a later sweep never sees it again.
        expect(revoked.has(d.policy.name)).toBe(false);
        revoked.add(d.policy.name);
      }
    }
  }
  expect(jitSnapshot(w).policies.size).toBe(0);
  expect(revoked.size).toBe(GRANTS);
  for (const user of w.users)
    expect(w.aws.state.entity('user', ACCOUNT, user)?.attached ?? []).toEqual([]);
  expect(await sweepRun(w)).toEqual([]);
  requests.forEach((_, i) =>
    expect(commentsOn(prs[i]!).some((c) => c.body.includes('expired and removed'))).toBe(true),
  );
});

test('a response dropped after CreatePolicy or AttachUserPolicy applied: the retry converges', async () => {
  const { user, id } = requestsFor(w, 1, 1, 'drop')[0]!;
  mergeRequests(w, [{ user, id }]);
  w.aws.faults.clear();
  w.aws.faults.inject({ action: 'CreatePolicy', kind: 'drop-after-apply' });
  w.aws.faults.inject({ action: 'AttachUserPolicy', kind: 'drop-after-apply' });
  const before = w.aws.state.cloudtrail.events.length;
  const { decisions } = await grantRun(w);
  expect(decisions).toEqual([expect.objectContaining({ kind: 'granted', created: false })]);
  const outcomes = (name: string) =>
    w.aws.state.cloudtrail.events
      .slice(before)
      .filter((e) => e.eventName === name)
      .map((e) => e.record.errorCode ?? 'ok');
  // The SDK's retry meets its own success: EntityAlreadyExists, then the tags prove it ours.
  expect(outcomes('CreatePolicy')).toEqual(['ok', 'EntityAlreadyExists']);
  // IAM (and the emulator) treat attaching what is attached as success, changing nothing.
  expect(outcomes('AttachUserPolicy')).toEqual(['ok', 'ok']);
  const policy = jitSnapshot(w).policies.get(`jit-${id}`)!;
  expect(policy.attachedTo).toEqual([userArn(user)]);
  expect(jitSnapshot(w).attachments.get(userArn(user))?.get(policy.arn)).toBe(1);

  // Its sweep, with every try at one policy's tags throttled: the rest is still swept.
  w.aws.clock.advance(2 * 3600_000 + 1000);
  w.aws.faults.inject({ action: 'ListPolicyTags', kind: 'throttle', times: 3 });
  expect(await sweepRun(w)).toEqual([
    expect.objectContaining({ kind: 'failed', error: 'Rate exceeded' }),
  ]);
  expect(jitSnapshot(w).policies.size).toBe(1);
  expect(await sweepRun(w)).toEqual([expect.objectContaining({ kind: 'revoked' })]);
  expect(jitSnapshot(w).policies.size).toBe(0);
});

test("a sweep revokes every readable policy when one policy's tags cannot be read", async () => {
  const requests = requestsFor(w, 12, 2, 'tags');
  mergeRequests(w, requests);
  w.aws.faults.clear();
  expect((await grantRun(w)).awsDelays).toEqual([]);
  expect(jitSnapshot(w).policies.size).toBe(12);
  w.aws.clock.advance(2 * 3600_000 + 1000);
  // The SDK's three attempts at the first ListPolicyTags all throttled.
  w.aws.faults.inject({ action: 'ListPolicyTags', kind: 'throttle', times: 3 });
  const first = await sweepRun(w);
  expect(first.filter((d) => d.kind === 'revoked')).toHaveLength(11);
  expect(first.filter((d) => d.kind === 'failed')).toHaveLength(1);
  const second = await sweepRun(w);
  expect(second.map((d) => d.kind)).toEqual(['revoked']);
  expect(jitSnapshot(w).policies.size).toBe(0);
});

test('a DeletePolicy that applied but whose every attempt failed is still reported revoked', async () => {
  // One SDK attempt: the dropped response is final, as when the SDK's retries after a drop are
  // throttled. The next sweep would no longer list the policy, so this one must report it.
  const single = await scaleWorld({ users: 1, retryAttempts: 1 });
  try {
    const [pr] = mergeRequests(single, requestsFor(single, 1));
    expect((await grantRun(single)).decisions).toEqual([
      expect.objectContaining({ kind: 'granted' }),
    ]);
    single.aws.clock.advance(2 * 3600_000 + 1000);
    single.aws.faults.inject({ action: 'DeletePolicy', kind: 'drop-after-apply' });
    expect(await sweepRun(single)).toEqual([
      expect.objectContaining({ kind: 'revoked', reason: 'expired' }),
    ]);
    expect(jitSnapshot(single).policies.size).toBe(0);
    expect(
      single.gh.state.comments.some(
        (c) => c.issueNumber === pr && c.body.includes('expired and removed'),
      ),
    ).toBe(true);
  } finally {
    await single.close();
  }
});
