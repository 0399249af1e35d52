/**
 * Break-glass on an Identity Center account (decisions 026, 032), against the GitHub and AWS
 * emulators: the revoke sweep's code, in process, answers `/break-glass` with a permission set of
 * the request's own assigned to the requester's user, checks the retro review, and on a miss
 * removes the assignment and the permission set before the window ends.
 */
import type { PollOptions } from '../../src/aws/sso-status.js';
import { answerBreakGlass } from '../../src/breakglass/answer.js';
import { reviewBreakGlass } from '../../src/breakglass/retro.js';
import { createGitHubClient } from '../../src/github/client.js';
import type { NotifyEvent } from '../../src/notify/event.js';
import { DecisionLog } from '../../src/record/log.js';
import type { DecisionRecord } from '../../src/record/record.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { removalRecord, revokedPrs } from '../../src/revoke/answer.js';
import { sweepGrants } from '../../src/revoke/sweep.js';
import { recordsOf } from '../trust/helpers.js';
import { REPO, requestFile } from './world.js';
import {
  identityCenterState,
  identityCenterWorld,
  ssoSession,
  type IdentityCenterWorld,
} from './identity-center-world.js';
import { brokerClients } from './broker-clients.js';

const REPO_REF = { owner: 'acme', repo: 'access' };
const MINUTE = 60_000;
const BREAK_GLASS_PROFILE = `  prod-logs-emergency:
    description: Read the prod log bucket when nobody can approve.
    statements:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::acme-prod-logs/*"]
    maxDuration: 1h
    approvers: [acme/sre]
    breakGlass: { retroReviewWithin: 30m }
`;

let w: IdentityCenterWorld;
const events: NotifyEvent[] = [];
beforeEach(async () => {
  w = await identityCenterWorld();
  events.length = 0;
});
afterEach(() => w.close());

const config = () => {
  const parsed = parseConfig(
    w.config.replace('custom:', `${BREAK_GLASS_PROFILE}custom:`),
    'jit.config.yaml',
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value;
};

/** Polling as the action polls, except that waiting moves the emulator's clock. */
const poll = (): PollOptions => ({
  attempts: 6,
  firstDelayMs: 500,
  sleep: (ms) => {
    w.aws.clock.advance(ms);
    return Promise.resolve();
  },
});

/** What revoke.yml's action does, in its order: `/break-glass`es, retro, sweep. */
async function sweepRun() {
  const gh = createGitHubClient({
    auth: w.gh.apps.mint(w.installation).token,
    baseUrl: w.gh.url,
    testTiming: { msPerSecond: 1 },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const aws = brokerClients(w, 'revoke', 'issue_comment');
  const now = w.aws.clock.now();
  const stamp = { now, runId: '4343' };
  const log = await DecisionLog.open(gh, REPO_REF);
  const notify = (e: NotifyEvent) => {
    events.push(e);
    return Promise.resolve();
  };
  const identityCenterFor = (ic: Parameters<typeof aws.identityCenter>[0]) =>
    aws.identityCenter(ic);
  const run = { octokit: gh, repo: REPO_REF, log, stamp, notify };
  const answers = await answerBreakGlass({
    ...run,
    defaultBranch: 'main',
    config: config(),
    iamFor: (account) => aws.iam(account),
    identityCenterFor,
    poll: poll(),
  });
  const retro = await reviewBreakGlass(run);
  const swept = await sweepGrants({
    config: config(),
    now,
    iamFor: (account) => aws.iam(account),
    identityCenterFor,
    poll: poll(),
    early: { prs: revokedPrs(log.index) },
  });
  for (const d of swept) if (d.kind === 'revoked') await log.append(removalRecord(d, stamp)!);
  return { answers, retro, swept };
}

/** An emergency request PR opened by octocat, not reviewed, and octocat's `/break-glass` on it. */
function brokenGlass(id: string): { pr: number; commentId: number } {
  const pr = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: {
      [`requests/${id}.yaml`]: requestFile('octocat', '1h').replace(
        's3-logs-read',
        'prod-logs-emergency',
      ),
    },
  });
  w.aws.clock.advance(MINUTE);
  const c = w.gh.state.comment(REPO, pr.number, { user: 'octocat', body: '/break-glass' });
  w.aws.clock.advance(30_000);
  return { pr: pr.number, commentId: c.id };
}

function granted(pr: number): DecisionRecord & { kind: 'granted' } {
  const files = w.gh.state.resolveRef(REPO, 'jit-log').files;
  const path = [...files.keys()].find((p) => p.startsWith(`pr/${pr}/`) && p.includes('-granted-'));
  const record = JSON.parse(files.get(path!)!.toString('utf8')) as DecisionRecord;
  if (record.kind !== 'granted') throw new Error('not granted');
  return record;
}

/** Would a session opened now of octocat's role for the permission set read the log object? */
const reads = (arn: string) => ssoSession(w, 'octocat', arn)();

test.each([
  { retro: 'approved', records: ['granted', 'retro-approved', 'removed'] },
  { retro: 'missed', records: ['granted', 'retro-missed', 'removed'] },
])('break-glass through Identity Center, retro review $retro', async (c) => {
  const { pr, commentId } = brokenGlass(`glass-${c.retro}`);
  const first = await sweepRun();
  expect(first.answers).toEqual([
    expect.objectContaining({ kind: 'granted', pr, commentId, by: 'octocat' }),
  ]);
  const answer = first.answers[0]!;
  if (answer.kind !== 'granted') throw new Error('not granted');
  expect(answer.window.expiry.getTime() - answer.window.start.getTime()).toBe(60 * MINUTE);

  // The request's own permission set, assigned to octocat, recorded as an Identity Center grant.
  const arn = answer.policyArn;
  const user = w.aws.identityCenter.userByName('octocat@acme.example')!;
  expect(identityCenterState(w).assignments).toEqual([
    expect.objectContaining({ permissionSetArn: arn, principalId: user.UserId }),
  ]);
  expect(granted(pr)).toMatchObject({
    backend: 'identity-center',
    permissionSetArn: arn,
    identityCenterUserId: user.UserId,
    commentId,
    breakGlass: { by: 'octocat' },
  });
  w.aws.clock.advance(1000);
  expect(reads(arn)).toBe('allowed');
  expect(ssoSession(w, 'octocat', arn)('s3:PutObject')).toBe('denied');
  // Loud: the approvers mentioned on the PR, the channel told.
  const comments = w.gh.state.comments.filter((x) => x.issueNumber === pr).map((x) => x.body);
  expect(comments.at(-1)).toContain('@acme/sre');
  expect(events.map((e) => [e.kind, e.pr])).toEqual([['break-glass', pr]]);

  w.aws.clock.advance(10 * MINUTE);
  if (c.retro === 'approved') w.gh.state.review(REPO, pr, { user: 'sre-bob', state: 'APPROVED' });
  w.aws.clock.set(new Date(answer.retroDue.getTime() + MINUTE));
  const late = await sweepRun();
  if (c.retro === 'approved') {
    expect(late.retro).toEqual([expect.objectContaining({ kind: 'approved', pr })]);
    expect(late.swept.filter((d) => d.kind === 'revoked')).toEqual([]);
    expect(reads(arn)).toBe('allowed');
    w.aws.clock.set(new Date(answer.window.expiry.getTime() + MINUTE));
    const end = await sweepRun();
    expect(end.swept).toEqual([
      expect.objectContaining({ kind: 'revoked', reason: 'expired', backend: 'identity-center' }),
    ]);
  } else {
    // Missed: ended in the same run, inside the window: assignment, role and set removed.
    expect(late.retro).toEqual([expect.objectContaining({ kind: 'missed', pr })]);
    expect(late.swept).toEqual([
      expect.objectContaining({ kind: 'revoked', reason: 'early', backend: 'identity-center' }),
    ]);
    expect(w.aws.clock.now().getTime()).toBeLessThan(answer.window.expiry.getTime());
    expect(events.at(-1)?.detail).toContain('retro review missed');
  }
  expect(identityCenterState(w)).toEqual({ sets: [], assignments: [], provisioned: [] });
  expect(() => reads(arn)).toThrow(/no permission set/);
  expect(recordsOf(w, pr)).toEqual(c.records);
});

test('an assignment still in progress, or FAILED, is retried by the next run with the window it began', async () => {
  const ic = w.aws.identityCenter;
  const { pr } = brokenGlass('glass-slow');
  const afterMs = ic.completion.afterMs;
  ic.completion.afterMs = 60 * MINUTE;
  const slow = await sweepRun();
  expect(slow.answers).toEqual([expect.objectContaining({ kind: 'failed', pr })]);
  expect(recordsOf(w, pr)).toEqual([]);
  const [set] = identityCenterState(w).sets;
  const began = set!.tags['jit:start'];

  // Identity Center finishes it meanwhile; the next run resumes that permission set and records it.
  ic.completion.afterMs = afterMs;
  w.aws.clock.advance(5 * MINUTE);
  const resumed = await sweepRun();
  expect(resumed.answers).toEqual([expect.objectContaining({ kind: 'granted', pr })]);
  const answer = resumed.answers[0]!;
  if (answer.kind !== 'granted') throw new Error('not granted');
  expect(answer.policyArn).toBe(set!.arn);
  expect(answer.window.start.getTime()).toBe(Date.parse(began!));
  expect(answer.retroDue.getTime() - Date.parse(began!)).toBe(30 * MINUTE);
  expect(recordsOf(w, pr)).toEqual(['granted']);
  expect(reads(answer.policyArn)).toBe('allowed');

  // A FAILED assignment is a failure too, never a refusal; the next run assigns it.
  const other = brokenGlass('glass-failed');
  ic.failNext('create', 'Received a 500 status error: internal failure.');
  const failed = await sweepRun();
  expect(failed.answers).toEqual([expect.objectContaining({ kind: 'failed', pr: other.pr })]);
  expect(failed.answers[0]?.kind === 'failed' && failed.answers[0].error).toMatch(
    /internal failure/,
  );
  expect(recordsOf(w, other.pr)).toEqual([]);
  w.aws.clock.advance(5 * MINUTE);
  const retried = await sweepRun();
  expect(retried.answers).toEqual([expect.objectContaining({ kind: 'granted', pr: other.pr })]);
  expect(recordsOf(w, other.pr)).toEqual(['granted']);
});

test("a retry after the earlier attempt's window ended removes that permission set and grants anew", async () => {
  const ic = w.aws.identityCenter;
  const { pr } = brokenGlass('glass-ended');
  const afterMs = ic.completion.afterMs;
  ic.completion.afterMs = 60 * MINUTE;
  expect((await sweepRun()).answers).toEqual([expect.objectContaining({ kind: 'failed', pr })]);
  const [old] = identityCenterState(w).sets;
  ic.completion.afterMs = afterMs;

  // Still within the comment's 2h, past the first attempt's 1h window.
  w.aws.clock.advance(65 * MINUTE);
  const now = w.aws.clock.now().getTime();
  const { answers } = await sweepRun();
  expect(answers).toEqual([expect.objectContaining({ kind: 'granted', pr })]);
  const answer = answers[0]!;
  if (answer.kind !== 'granted') throw new Error('not granted');
  expect(answer.window.start.getTime()).toBeGreaterThanOrEqual(now - 1000);
  expect(identityCenterState(w).sets.map((s) => s.arn)).toEqual([answer.policyArn]);
  expect(answer.policyArn).not.toBe(old!.arn);
  expect(reads(answer.policyArn)).toBe('allowed');
  expect(recordsOf(w, pr)).toEqual(['granted']);
});
