/**
 * The Identity Center backend end to end, with the built actions run as a runner runs them
 * against the GitHub and AWS emulators: request, approval, merge, a permission set of its own
 * assigned to the person, the AWSReservedSSO role that AWS itself stops honouring at expiry, the
 * sweep that removes assignment and permission set, and `/revoke` from the requester.
 */
import { issueCommentEvent } from '../../emulators/github/events.js';
import { GRANT, REPO, REVOKE, T0, prOpened, pushed, requestFile, scheduled } from './world.js';
import {
  MEMBER,
  identityCenterState,
  identityCenterWorld,
  runLive,
  ssoSession,
  type IdentityCenterWorld,
} from './identity-center-world.js';

let w: IdentityCenterWorld;
beforeEach(async () => {
  w = await identityCenterWorld();
});
afterEach(() => w.close());

const HOUR = 3_600_000;
const commentsOn = (pr: number) => w.gh.state.comments.filter((c) => c.issueNumber === pr);
/** The kinds of the decision log's records for a PR, in order, read from the log branch. */
const recordsOf = (pr: number) =>
  [...w.gh.state.resolveRef(REPO, 'jit-log').files.keys()]
    .filter((p) => p.startsWith(`pr/${pr}/`))
    .sort()
    .map((p) => /-([a-z-]+?)(?:-c\d+)?\.json$/.exec(p)![1]);

function approvedAndMerged(file: string, text = requestFile()): number {
  const pr = w.gh.state.openPullRequest(REPO, { author: 'octocat', headFiles: { [file]: text } });
  w.gh.state.review(REPO, pr.number, { user: 'sre-bob', state: 'APPROVED' });
  w.aws.clock.advance(60_000);
  w.gh.state.merge(REPO, pr.number, { by: 'sre-bob' });
  w.aws.clock.advance(30_000);
  return pr.number;
}

interface Granted {
  request: string;
  policyArn: string;
  principal: string;
  expiry: string;
}
const granted = (run: { outputs: Record<string, string> }) =>
  JSON.parse(run.outputs.granted ?? '[]') as Granted[];

test('request → approve → merge → permission set → expiry → sweep, end to end', async () => {
  const pr = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-logs.yaml': requestFile() },
  });
  const checked = await runLive(w, 'request', prOpened(w, pr.number));
  expect(checked.outputs.valid).toBe('true');
  expect(commentsOn(pr.number)).toHaveLength(1);
  w.gh.state.review(REPO, pr.number, { user: 'sre-bob', state: 'APPROVED' });
  w.aws.clock.set(new Date(T0.getTime() + 60_000));
  w.gh.state.merge(REPO, pr.number, { by: 'sre-bob' });
  const mergedAt = w.aws.clock.now().getTime();
  w.aws.clock.advance(30_000);

  // grant.yml: OIDC → STS as the Identity Center broker → SSO Admin and Identity Store.
  const granted = await runLive(w, 'grant', pushed(), GRANT);
  expect(granted.stdout).not.toContain('::error');
  expect(granted.code).toBe(0);
  const grants = JSON.parse(granted.outputs.granted ?? '[]') as Granted[];
  expect(grants).toEqual([expect.objectContaining({ request: 'octocat-logs' })]);
  const arn = grants[0]!.policyArn;
  expect(arn).toMatch(/^arn:aws:sso:::permissionSet\/ssoins-[0-9a-f]{16}\/ps-[0-9a-f]{16}$/);
  const expiry = new Date(grants[0]!.expiry).getTime();
  expect(expiry).toBe(mergedAt + 2 * HOUR);
  expect(commentsOn(pr.number).some((c) => c.body.includes('granted'))).toBe(true);
  expect(recordsOf(pr.number)).toEqual(['granted']);

  // One permission set for this request, tagged for the sweep, assigned to octocat's user.
  const state = identityCenterState(w);
  expect(state.sets).toHaveLength(1);
  const [set] = state.sets;
  expect(set!.name).toMatch(/^jit-octocat-logs-[0-9a-f]{8}$/);
  expect(set!.tags).toMatchObject({
    'jit:managed': 'true',
    'jit:request': 'octocat-logs',
    'jit:pr': String(pr.number),
    'jit:account': MEMBER,
    'jit:principal': 'octocat@acme.example',
  });
  const user = w.aws.identityCenter.userByName('octocat@acme.example')!;
  expect(state.assignments).toEqual([
    { permissionSetArn: arn, accountId: MEMBER, principalType: 'USER', principalId: user.UserId },
  ]);
  // The reserved role in the member account carries the time-bound policy inline.
  const role = w.aws.identityCenter.provisionedRole(arn, MEMBER)!;
  expect(role.path).toBe('/aws-reserved/sso.amazonaws.com/');
  expect(role.name).toMatch(new RegExp(`^AWSReservedSSO_${set!.name}_[0-9a-f]{16}$`));
  const inline = JSON.stringify(role.inlinePolicies.get('AwsSSOInlinePolicy'));
  expect(inline).toContain('aws:CurrentTime');
  expect(inline).toContain(new Date(expiry).toISOString().slice(0, 19));

  // Octocat's Identity Center session: exactly what was approved, inside the window.
  const can = ssoSession(w, 'octocat', set!.name);
  expect(can()).toBe('allowed');
  expect(can('s3:PutObject')).toBe('denied');
  expect(can('s3:GetObject', 'arn:aws:s3:::acme-billing/invoice.pdf')).toBe('denied');
  // Mallory has no assignment: no session at all.
  expect(() => ssoSession(w, 'mallory', set!.name)).toThrow(/not assigned/);

  // A duplicate trigger grants nothing new.
  const again = await runLive(w, 'grant', pushed(), GRANT);
  expect(again.code).toBe(0);
  expect(JSON.parse(again.outputs.granted ?? '[]')).toEqual([]);
  expect(identityCenterState(w).sets).toHaveLength(1);

  // A sweep inside the window leaves it alone.
  const early = await runLive(w, 'revoke', scheduled(w), REVOKE);
  expect(early.code).toBe(0);
  expect(JSON.parse(early.outputs.revoked ?? '[]')).toEqual([]);
  expect(identityCenterState(w).assignments).toHaveLength(1);

  // One second past expiry, before any sweep, with the assignment still in place: AWS denies.
  w.aws.clock.set(new Date(expiry - 1000));
  expect(can()).toBe('allowed');
  w.aws.clock.set(new Date(expiry + 1000));
  expect(identityCenterState(w).assignments).toHaveLength(1);
  expect(w.aws.identityCenter.provisionedRole(arn, MEMBER)).toBeDefined();
  expect(can()).toBe('denied');

  // The sweep removes assignment, role and permission set, and tells the PR.
  const revoked = await runLive(w, 'revoke', scheduled(w), REVOKE);
  expect(revoked.stdout).not.toContain('::error');
  expect(revoked.code).toBe(0);
  expect(JSON.parse(revoked.outputs.revoked ?? '[]')).toEqual([
    { request: 'octocat-logs', pr: pr.number, policyArn: arn, reason: 'expired' },
  ]);
  expect(identityCenterState(w)).toEqual({ sets: [], assignments: [], provisioned: [] });
  expect(w.aws.identityCenter.provisionedRole(arn, MEMBER)).toBeUndefined();
  expect(commentsOn(pr.number).some((c) => c.body.includes('expired and removed'))).toBe(true);
  expect(recordsOf(pr.number)).toEqual(['granted', 'removed']);
  // The organisation's own permission set is untouched.
  expect([...w.aws.identityCenter.permissionSets.values()].map((p) => p.name)).toEqual([
    'AdministratorAccess',
  ]);

  // Nothing is resurrected, nothing left to sweep.
  expect(JSON.parse((await runLive(w, 'grant', pushed(), GRANT)).outputs.granted!)).toEqual([]);
  expect(JSON.parse((await runLive(w, 'revoke', scheduled(w), REVOKE)).outputs.revoked!)).toEqual(
    [],
  );
  expect(identityCenterState(w).sets).toEqual([]);

  // CloudTrail: the broker's OIDC session made every SSO Admin call.
  const sso = w.aws.state.cloudtrail.events.filter((e) => e.eventSource === 'sso.amazonaws.com');
  for (const name of [
    'CreatePermissionSet',
    'PutInlinePolicyToPermissionSet',
    'CreateAccountAssignment',
    'DescribeAccountAssignmentCreationStatus',
    'DeleteAccountAssignment',
    'DescribeAccountAssignmentDeletionStatus',
    'DeletePermissionSet',
  ])
    expect(sso.map((e) => e.eventName)).toContain(name);
  for (const e of sso)
    expect(String((e.record.userIdentity as { arn?: string }).arn)).toMatch(
      /:assumed-role\/jit-access-identity-center-broker\/jit-(grant|revoke)-4242$/,
    );
});

test('/revoke from the requester ends the Identity Center grant now; a stranger cannot', async () => {
  const pr = approvedAndMerged('requests/octocat-early.yaml');
  const granted = await runLive(w, 'grant', pushed(), GRANT);
  const [grant] = JSON.parse(granted.outputs.granted ?? '[]') as Granted[];
  expect(grant?.request).toBe('octocat-early');
  const name = identityCenterState(w).sets[0]!.name;
  const can = ssoSession(w, 'octocat', name);
  expect(can()).toBe('allowed');

  const stranger = w.gh.state.comment(REPO, pr, { user: 'mallory', body: '/revoke' });
  const refused = await runLive(
    w,
    'revoke',
    { payload: issueCommentEvent(w.gh, stranger.id), name: 'issue_comment' },
    REVOKE,
  );
  expect(refused.code).toBe(0);
  expect(JSON.parse(refused.outputs.revoked ?? '[]')).toEqual([]);
  expect(commentsOn(pr).at(-1)?.body).toMatch(/only the requester/);
  expect(identityCenterState(w).assignments).toHaveLength(1);
  expect(can()).toBe('allowed');

  const own = w.gh.state.comment(REPO, pr, { user: 'octocat', body: '/revoke' });
  const revoked = await runLive(
    w,
    'revoke',
    { payload: issueCommentEvent(w.gh, own.id), name: 'issue_comment' },
    REVOKE,
  );
  expect(revoked.code).toBe(0);
  expect(JSON.parse(revoked.outputs.revoked ?? '[]')).toEqual([
    expect.objectContaining({
      request: 'octocat-early',
      reason: 'early',
      policyArn: grant!.policyArn,
    }),
  ]);
  expect(identityCenterState(w)).toEqual({ sets: [], assignments: [], provisioned: [] });
  // The open session's role is gone: every later request is denied, inside the window.
  expect(can()).toBe('denied');
  expect(recordsOf(pr)).toEqual(['granted', 'revoke-refused', 'revoked', 'removed']);

  // Still inside the window: the next grant run must not hand it back.
  const regrant = await runLive(w, 'grant', pushed(), GRANT);
  expect(JSON.parse(regrant.outputs.granted ?? '[]')).toEqual([]);
  expect(identityCenterState(w).sets).toEqual([]);
});

test('a CreatePermissionSet whose answer was lost is adopted, beside a set the broker may not read', async () => {
  const pr = approvedAndMerged('requests/octocat-lost.yaml');
  // The set is created, the answer lost; the SDK's retry meets ConflictException for the name.
  w.aws.faults.inject({ action: 'CreatePermissionSet', kind: 'drop-after-apply' });
  const result = await runLive(w, 'grant', pushed(), GRANT);
  expect(JSON.parse(result.outputs.delayed ?? '[]')).toEqual([]);
  expect(result.code).toBe(0);
  expect(granted(result)).toEqual([
    expect.objectContaining({ pr, request: 'octocat-lost', created: false }),
  ]);
  const creates = w.aws.state.cloudtrail.events
    .filter((e) => e.eventName === 'CreatePermissionSet')
    .map((e) => e.record.errorCode ?? 'ok');
  expect(creates[0]).toBe('ok');
  expect(creates.length).toBeGreaterThan(1);
  expect(creates.slice(1).every((c) => c === 'ConflictException')).toBe(true);
  const [set] = identityCenterState(w).sets;
  expect(identityCenterState(w).sets).toHaveLength(1);
  expect(ssoSession(w, 'octocat', set!.name)()).toBe('allowed');
  // The organisation's own permission set was neither read nor changed by the broker.
  const foreign = [...w.aws.identityCenter.permissionSets.values()].find(
    (p) => p.name === 'AdministratorAccess',
  )!;
  const touched = w.aws.state.cloudtrail.events.filter(
    (e) =>
      e.eventSource === 'sso.amazonaws.com' &&
      e.eventName !== 'ListTagsForResource' &&
      JSON.stringify(e.record.requestParameters ?? {}).includes(foreign.arn),
  );
  expect(touched.map((e) => e.eventName)).toEqual([]);
});

test('a DeletePermissionSet whose answer was lost is still reported removed, to the PR and the log', async () => {
  const pr = approvedAndMerged('requests/octocat-gone.yaml');
  const [grant] = granted(await runLive(w, 'grant', pushed(), GRANT));
  w.aws.clock.set(new Date(Date.parse(grant!.expiry) + 1000));
  // Deleted, the answer lost: the SDK's retry is refused (a deleted set has no jit:managed tag).
  w.aws.faults.inject({ action: 'DeletePermissionSet', kind: 'drop-after-apply' });
  const revoked = await runLive(w, 'revoke', scheduled(w), REVOKE);
  expect(JSON.parse(revoked.outputs.failed ?? '[]')).toEqual([]);
  expect(revoked.code).toBe(0);
  expect(JSON.parse(revoked.outputs.revoked ?? '[]')).toEqual([
    { request: 'octocat-gone', pr, policyArn: grant!.policyArn, reason: 'expired' },
  ]);
  expect(identityCenterState(w)).toEqual({ sets: [], assignments: [], provisioned: [] });
  expect(recordsOf(pr)).toEqual(['granted', 'removed']);
  expect(commentsOn(pr).some((c) => c.body.includes('expired and removed'))).toBe(true);
});
