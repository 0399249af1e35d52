/**
 * The Identity Center backend with many requests at once, with the built grant and revoke actions
 * run as a runner runs them: eight merges at once (three for one person) are granted by one run
 * and swept by one run after expiry; and under 20% seeded faults at every SSO Admin and Identity
 * Store call, repeated runs converge to each request granted exactly once and, after expiry, to
 * nothing left: no permission set, assignment or reserved role. Eight is enough for what is
 * claimed (several requests, several of one person's, in one run; no listing is near a page
 * boundary): how the backend's time grows with the count is bench/identity-center.ts's question.
 */
import { GRANT, REVOKE, pushed, scheduled } from '../e2e/world.js';
import {
  MEMBER,
  identityCenterState,
  identityCenterWorld,
  mergeAll,
  recordsOf,
  runLive,
  ssoSession,
  ssoUser,
  type IdentityCenterWorld,
} from '../e2e/identity-center-world.js';

/** The scheduled revoke's period: what passes between two runs. */
const TEN_MINUTES = 10 * 60_000;
const others = Array.from({ length: 5 }, (_, i) => `user${String(i + 1).padStart(2, '0')}`);
/** Three requests for octocat, one each for five others. */
const REQUESTS = [
  ...Array.from({ length: 3 }, (_, i) => ({ login: 'octocat', id: `octocat-task${i}` })),
  ...others.map((login) => ({ login, id: `${login}-logs` })),
];

/** The calls the backend makes, each faulted on its own at the same rate. */
const SSO_CALLS = [
  'CreatePermissionSet',
  'DescribePermissionSet',
  'ListPermissionSets',
  'ListTagsForResource',
  'GetInlinePolicyForPermissionSet',
  'PutInlinePolicyToPermissionSet',
  'DeleteInlinePolicyFromPermissionSet',
  'DeletePermissionSet',
  'ListAccountAssignments',
  'CreateAccountAssignment',
  'DescribeAccountAssignmentCreationStatus',
  'DeleteAccountAssignment',
  'DescribeAccountAssignmentDeletionStatus',
  'ListAccountsForProvisionedPermissionSet',
  'GetUserId',
];
const SEED = Number(process.env.FAULT_SEED ?? 2026);
const MAX_RUNS = 6;

let w: IdentityCenterWorld;
beforeEach(async () => {
  w = await identityCenterWorld({ logins: ['octocat', ...others] });
});
afterEach(() => w.close());

interface Granted {
  request: string;
  pr: number;
  policyArn: string;
  expiry: string;
}
const granted = (outputs: Record<string, string>) =>
  JSON.parse(outputs.granted ?? '[]') as Granted[];
const commentsOn = (pr: number) => w.gh.state.comments.filter((c) => c.issueNumber === pr);

/** Each request has its own permission set, assigned once, to its requester's user only. */
function expectEachGrantedOnce(prs: number[]) {
  const state = identityCenterState(w);
  expect(state.sets).toHaveLength(REQUESTS.length);
  REQUESTS.forEach(({ login, id }, i) => {
    const set = state.sets.find((s) => s.tags['jit:request'] === id);
    expect(set?.tags['jit:pr']).toBe(String(prs[i]));
    expect(set?.inlinePolicy).toContain('aws:CurrentTime');
    const user = w.aws.identityCenter.userByName(ssoUser(login))!;
    expect(state.assignments.filter((a) => a.permissionSetArn === set!.arn)).toEqual([
      {
        permissionSetArn: set!.arn,
        accountId: MEMBER,
        principalType: 'USER',
        principalId: user.UserId,
      },
    ]);
    expect(w.aws.identityCenter.provisionedRole(set!.arn, MEMBER)).toBeDefined();
    expect(recordsOf(w, prs[i]!)).toEqual(['granted']);
  });
  expect(state.assignments).toHaveLength(REQUESTS.length);
  return state;
}

test('8 merges at once: one run grants all, no early removal, one sweep after expiry removes all', async () => {
  const prs = mergeAll(w, REQUESTS);
  const first = await runLive(w, 'grant', pushed(), GRANT);
  expect(first.code).toBe(0);
  expect(
    granted(first.outputs)
      .map((g) => g.pr)
      .sort(),
  ).toEqual([...prs].sort());
  const state = expectEachGrantedOnce(prs);
  // Octocat holds three permission sets at once, each working.
  const octocats = state.sets.filter((s) => s.tags['jit:requester'] === 'octocat');
  expect(octocats).toHaveLength(3);
  for (const set of octocats) expect(ssoSession(w, 'octocat', set.name)()).toBe('allowed');

  // Inside the window: a sweep removes nothing, a grant run grants nothing new.
  w.aws.clock.advance(TEN_MINUTES);
  const sweep = await runLive(w, 'revoke', scheduled(w), REVOKE);
  expect(sweep.code).toBe(0);
  expect(JSON.parse(sweep.outputs.revoked ?? '[]')).toEqual([]);
  expect(identityCenterState(w).assignments).toHaveLength(REQUESTS.length);
  const again = await runLive(w, 'grant', pushed(), GRANT);
  expect(granted(again.outputs)).toEqual([]);

  // Past every expiry, one sweep removes all of them.
  const expiry = Math.max(...granted(first.outputs).map((g) => Date.parse(g.expiry)));
  w.aws.clock.set(new Date(expiry + 1000));
  const after = await runLive(w, 'revoke', scheduled(w), REVOKE);
  expect(after.code).toBe(0);
  const revoked = JSON.parse(after.outputs.revoked ?? '[]') as { pr: number; reason: string }[];
  expect(revoked.map((r) => r.pr).sort()).toEqual([...prs].sort());
  expect(revoked.every((r) => r.reason === 'expired')).toBe(true);
  expect(identityCenterState(w)).toEqual({ sets: [], assignments: [], provisioned: [] });
  for (const pr of prs) expect(recordsOf(w, pr)).toEqual(['granted', 'removed']);
});

test('20% faults at every SSO Admin and Identity Store call: grants and sweeps converge', async () => {
  const prs = mergeAll(w, REQUESTS);
  w.aws.faults.seed(SEED);
  // A fifth of the calls fail: throttled, a 5xx, or the answer lost after the change applied.
  const each = 1 - Math.pow(1 - 0.2, 1 / 3);
  for (const action of SSO_CALLS)
    for (const kind of ['throttle', '5xx', 'drop-after-apply'] as const)
      w.aws.faults.inject({ action, kind, rate: each });
  const since = w.aws.state.cloudtrail.events.length;

  const grants: Granted[] = [];
  let runs = 0;
  for (; runs < MAX_RUNS; runs++) {
    const result = await runLive(w, 'grant', pushed(), GRANT);
    // An outage delays, never refuses: a refusal would be final.
    expect(JSON.parse(result.outputs.refused ?? '[]')).toEqual([]);
    grants.push(...granted(result.outputs));
    const delayed = JSON.parse(result.outputs.delayed ?? '[]') as { pr: number; code: string }[];
    if (delayed.length === 0) {
      expect(result.code).toBe(0);
      break;
    }
    // A delayed run fails its step, and each delayed PR is told so.
    expect(result.code).not.toBe(0);
    for (const d of delayed) {
      expect(d.code).toBe('AWS_ERROR');
      expect(commentsOn(d.pr).at(-1)?.body).toContain('delayed');
    }
    w.aws.clock.advance(TEN_MINUTES);
  }
  expect(runs).toBeGreaterThan(0); // the faults were felt
  expect(runs).toBeLessThan(MAX_RUNS);
  // Every request granted by exactly one run.
  expect(grants.map((g) => g.pr).sort()).toEqual([...prs].sort());
  const errors = w.aws.state.cloudtrail.events
    .slice(since)
    .filter((e) => e.eventSource.startsWith('sso') || e.eventSource.startsWith('identitystore'))
    .filter((e) => e.record.errorCode !== undefined);
  expect(errors.length).toBeGreaterThan(10);
  expectEachGrantedOnce(prs);

  // Past every expiry, sweeps under the same faults converge to nothing left.
  w.aws.clock.set(new Date(Math.max(...grants.map((g) => Date.parse(g.expiry))) + 1000));
  const removed: number[] = [];
  let sweeps = 0;
  for (; sweeps < MAX_RUNS; sweeps++) {
    const result = await runLive(w, 'revoke', scheduled(w), REVOKE);
    removed.push(
      ...(JSON.parse(result.outputs.revoked ?? '[]') as { pr: number }[]).map((r) => r.pr),
    );
    const failed = JSON.parse(result.outputs.failed ?? '[]') as unknown[];
    expect(result.code === 0).toBe(failed.length === 0);
    if (failed.length === 0 && identityCenterState(w).sets.length === 0) break;
    w.aws.clock.advance(TEN_MINUTES);
  }
  expect(sweeps).toBeLessThan(MAX_RUNS);
  expect(identityCenterState(w)).toEqual({ sets: [], assignments: [], provisioned: [] });
  // Each removal reported at most once, to its PR and in the decision log. Under some fault
  // timings a deletion whose answer and whose confirming listing were both lost goes unreported
  // (a known gap, see decision 012): the set is gone all the same, as checked above.
  expect(new Set(removed).size).toBe(removed.length);
  expect(removed.length).toBeGreaterThan(prs.length / 2);
  for (const pr of removed) {
    expect(recordsOf(w, pr)).toEqual(['granted', 'removed']);
    expect(commentsOn(pr).some((c) => c.body.includes('expired and removed'))).toBe(true);
  }
  // The organisation's own permission set was never touched.
  expect([...w.aws.identityCenter.permissionSets.values()].map((p) => p.name)).toEqual([
    'AdministratorAccess',
  ]);
});
