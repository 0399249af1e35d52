/**
 * Extending an Identity Center grant (decision 032), against the GitHub and AWS emulators: the
 * grant reconciler runs in process as the Identity Center broker, assignments end as Identity
 * Center's do (asynchronously, while the run polls), and access is judged by the emulator's
 * evaluation of each permission set's inline policy in a session of the user's reserved role.
 */
import type { PollOptions } from '../../src/aws/sso-status.js';
import { createGitHubClient } from '../../src/github/client.js';
import { reconcileGrants, type GrantDecision } from '../../src/grant/reconcile.js';
import { DecisionLog } from '../../src/record/log.js';
import { renderGrantComment } from '../../src/report/grant-comment.js';
import type { DecisionRecord } from '../../src/record/record.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { approvedAndMerged, recordsOf } from '../trust/helpers.js';
import { REPO } from './world.js';
import {
  identityCenterState,
  identityCenterWorld,
  ssoSession,
  type IdentityCenterWorld,
} from './identity-center-world.js';
import { brokerClients } from './broker-clients.js';

const REPO_REF = { owner: 'acme', repo: 'access' };
const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const MINUTE = 60_000;

let w: IdentityCenterWorld;
beforeEach(async () => {
  w = await identityCenterWorld();
});
afterEach(() => w.close());

/** Polling as the action polls, except that waiting moves the emulator's clock, not the test's. */
const poll = (): PollOptions => ({
  attempts: 6,
  firstDelayMs: 500,
  sleep: (ms) => {
    w.aws.clock.advance(ms);
    return Promise.resolve();
  },
});

/** What grant.yml's action does, in process; `failGranted`: the run dies before a `granted`. */
async function grantRun(failGranted = false): Promise<GrantDecision[]> {
  const parsed = parseConfig(w.config, 'jit.config.yaml');
  if (!parsed.ok) throw new Error('the test config is invalid');
  const gh = createGitHubClient({
    auth: w.gh.apps.mint(w.installation).token,
    baseUrl: w.gh.url,
    testTiming: { msPerSecond: 1 },
    log: SILENT,
  });
  const aws = brokerClients(w, 'grant', 'push');
  const log = await DecisionLog.open(gh, REPO_REF);
  if (failGranted) {
    const append = log.append.bind(log);
    log.append = (record) =>
      record.kind === 'granted' ? Promise.reject(new Error('log write failed')) : append(record);
  }
  return reconcileGrants({
    octokit: gh,
    repo: REPO_REF,
    defaultBranch: 'main',
    config: parsed.value,
    now: w.aws.clock.now(),
    log,
    runId: '4242',
    iamFor: (account) => aws.iam(account),
    identityCenterFor: (ic) => aws.identityCenter(ic),
    poll: poll(),
  });
}

const request = (duration: string, extendsId?: string) =>
  `requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: ${duration}\nreason: Investigate the failed nightly export from INC-4211.\n${extendsId ? `extends: ${extendsId}\n` : ''}`;

const merged = (id: string, duration: string, extendsId?: string) =>
  approvedAndMerged(w, {
    author: 'octocat',
    file: `requests/${id}.yaml`,
    text: request(duration, extendsId),
  });

const granted = (d: GrantDecision | undefined) => {
  if (d?.kind !== 'granted') throw new Error(`not granted: ${JSON.stringify(d)}`);
  return d;
};

function records(pr: number): DecisionRecord[] {
  const files = w.gh.state.resolveRef(REPO, 'jit-log').files;
  return [...files.keys()]
    .filter((p) => p.startsWith(`pr/${pr}/`))
    .sort()
    .map((p) => JSON.parse(files.get(p)!.toString('utf8')) as DecisionRecord);
}

/** The permission set's name, from its ARN. */
const nameOf = (arn: string) => identityCenterState(w).sets.find((s) => s.arn === arn)?.name;

/** Would a session opened now of octocat's role for this permission set read the log object? */
const reads = (name: string) => ssoSession(w, 'octocat', name)();

const at = (date: Date, offsetMs: number) => w.aws.clock.set(new Date(date.getTime() + offsetMs));

test('an Identity Center extension is assigned before the old grant is removed: no gap', async () => {
  const first = merged('octocat-logs', '2h');
  const old = granted((await grantRun()).find((d) => d.pr === first));
  expect(old.backend).toBe('identity-center');
  const oldName = nameOf(old.policyArn)!;
  const oldExpiry = old.plan.window.expiry;

  at(oldExpiry, -60 * MINUTE);
  const second = merged('octocat-logs-more', '2h', 'octocat-logs');
  const decisions = await grantRun();
  expect(decisions.map((d) => [d.pr, d.kind])).toEqual([[second, 'granted']]);
  const extension = granted(decisions[0]);
  expect(extension.extension).toMatchObject({
    kind: 'extends',
    of: 'octocat-logs',
    pr: first,
    chainStart: old.plan.window.start,
  });
  expect(extension.extension).not.toHaveProperty('left');
  expect(renderGrantComment(extension)).toContain(
    'its permission set was removed once this one was assigned',
  );

  // One permission set left, assigned to octocat; the old one, its assignment and role are gone.
  const state = identityCenterState(w);
  expect(state.sets.map((s) => s.arn)).toEqual([extension.policyArn]);
  expect(state.assignments.map((a) => a.permissionSetArn)).toEqual([extension.policyArn]);
  expect(state.provisioned).toEqual([extension.policyArn]);
  expect(() => reads(oldName)).toThrow(/no permission set/);
  expect(recordsOf(w, first)).toEqual(['granted', 'removed']);
  expect(records(first)[1]).toMatchObject({
    kind: 'removed',
    reason: 'extended',
    extendedBy: second,
    policyArn: old.policyArn,
  });
  expect(records(second)[0]).toMatchObject({
    kind: 'granted',
    backend: 'identity-center',
    permissionSetArn: extension.policyArn,
    extends: 'octocat-logs',
    extendsPr: first,
    chainStart: old.plan.window.start.toISOString(),
  });

  // The CreateAccountAssignment of the new set ended before the old set's assignment was deleted.
  const events = w.aws.state.cloudtrail.events.map((e) => e.eventName);
  const assigned = events.lastIndexOf('DescribeAccountAssignmentCreationStatus');
  const unassigned = events.indexOf('DeleteAccountAssignment');
  expect(assigned).toBeGreaterThan(0);
  expect(unassigned).toBeGreaterThan(assigned);

  // No gap: the new set's policy allows the read a second either side of the old expiry.
  const newName = nameOf(extension.policyArn)!;
  at(oldExpiry, -1000);
  expect(reads(newName)).toBe('allowed');
  at(oldExpiry, 1000);
  expect(reads(newName)).toBe('allowed');
  at(extension.plan.window.expiry, -1000);
  expect(reads(newName)).toBe('allowed');
  at(extension.plan.window.expiry, 1000);
  expect(reads(newName)).toBe('denied');
});

test('an extension whose assignment is slow, failed or in an outage is delayed and finished by a re-run', async () => {
  const first = merged('octocat-slow', '2h');
  const old = granted((await grantRun()).find((d) => d.pr === first));
  const oldName = nameOf(old.policyArn)!;
  at(old.plan.window.expiry, -60 * MINUTE);
  const second = merged('octocat-slow-more', '2h', 'octocat-slow');
  const ic = w.aws.identityCenter;
  const stillOld = () => {
    expect(identityCenterState(w).sets.map((s) => s.arn)).toContain(old.policyArn);
    expect(reads(oldName)).toBe('allowed');
    expect(recordsOf(w, first)).toEqual(['granted']);
    expect(recordsOf(w, second)).toEqual([]);
  };

  // Identity Center takes longer than the run polls: nothing decided, the old grant untouched.
  const afterMs = ic.completion.afterMs;
  ic.completion.afterMs = 60 * MINUTE;
  const slow = await grantRun();
  expect(slow).toEqual([
    expect.objectContaining({ pr: second, kind: 'delayed', code: 'AWS_ERROR' }),
  ]);
  expect(slow[0]?.kind === 'delayed' && slow[0].error).toMatch(/still in progress/);
  stillOld();
  ic.completion.afterMs = afterMs;
  w.aws.clock.advance(MINUTE);

  // The new assignment ended meanwhile; this run removes the old set while its DeleteAccountAssignment
  // FAILs: the extension stands, the old set is left for the sweep, the comment says so.
  ic.failNext('delete', 'Received a 500 status error: internal failure.');
  const finished = granted((await grantRun()).find((d) => d.pr === second));
  expect(finished).toMatchObject({
    created: false,
    extension: { kind: 'extends', pr: first, left: expect.stringMatching(/internal failure/) },
  });
  expect(records(second)[0]).toMatchObject({ extendsLeft: expect.stringMatching(/failed/) });
  const newName = nameOf(finished.policyArn)!;
  at(old.plan.window.expiry, 1000);
  expect(reads(newName)).toBe('allowed');

  // A third link: its CreateAccountAssignment FAILs, then an outage: delays, never a refusal.
  at(old.plan.window.expiry, 30 * MINUTE);
  const third = merged('octocat-slow-most', '1h', 'octocat-slow-more');
  ic.failNext('create', 'Received a 409 status error: conflicting operation in progress.');
  const failed = await grantRun();
  expect(failed).toEqual([expect.objectContaining({ pr: third, kind: 'delayed' })]);
  expect(failed[0]?.kind === 'delayed' && failed[0].error).toMatch(/conflicting operation/);
  w.aws.faults.inject({ action: 'CreateAccountAssignment', kind: '5xx', times: 10 });
  expect(await grantRun()).toEqual([
    expect.objectContaining({ pr: third, kind: 'delayed', code: 'AWS_ERROR' }),
  ]);
  w.aws.faults.clear();
  expect(recordsOf(w, third)).toEqual([]);
  expect(reads(newName)).toBe('allowed');
  const last = granted((await grantRun()).find((d) => d.pr === third));
  expect(last.extension).toMatchObject({ kind: 'extends', pr: second });
  expect(last.extension).not.toHaveProperty('left');
  expect(recordsOf(w, second)).toEqual(['granted', 'removed']);
  expect(identityCenterState(w).assignments.map((a) => a.permissionSetArn)).toEqual(
    expect.arrayContaining([last.policyArn]),
  );
  expect(identityCenterState(w).sets.map((s) => s.arn)).not.toContain(finished.policyArn);
});

test('a run that removed the old permission set but could not record the new grant is finished by the next', async () => {
  const first = merged('octocat-idem', '2h');
  const old = granted((await grantRun()).find((d) => d.pr === first));
  const second = merged('octocat-idem-more', '1h', 'octocat-idem');
  const lost = (await grantRun(true)).find((d) => d.pr === second);
  expect(lost).toMatchObject({ kind: 'granted', unrecorded: 'log write failed' });
  expect(recordsOf(w, first)).toEqual(['granted', 'removed']);
  expect(recordsOf(w, second)).toEqual([]);
  expect(identityCenterState(w).sets.map((s) => s.arn)).not.toContain(old.policyArn);

  const again = granted((await grantRun()).find((d) => d.pr === second));
  expect(again).toMatchObject({ created: false, extension: { kind: 'extends', pr: first } });
  expect(recordsOf(w, first)).toEqual(['granted', 'removed']);
  expect(recordsOf(w, second)).toEqual(['granted']);
  expect(identityCenterState(w).sets.map((s) => s.arn)).toEqual([again.policyArn]);
  expect(reads(nameOf(again.policyArn)!)).toBe('allowed');
});
