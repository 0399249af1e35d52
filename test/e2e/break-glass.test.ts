/**
 * Break-glass end to end (decision 026), against the GitHub and AWS emulators: the revoke sweep's
 * code, in process, answers `/break-glass` comments, checks retro reviews and ends a grant whose
 * review was missed; the grant reconciler never grants such a PR again once it is merged.
 */
import { answerBreakGlass } from '../../src/breakglass/answer.js';
import { reviewBreakGlass } from '../../src/breakglass/retro.js';
import { createGitHubClient } from '../../src/github/client.js';
import { reconcileGrants } from '../../src/grant/reconcile.js';
import type { NotifyEvent } from '../../src/notify/event.js';
import { DecisionLog } from '../../src/record/log.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { recordRevokes, removalRecord, revokedPrs } from '../../src/revoke/answer.js';
import { pendingRevokes } from '../../src/revoke/requests.js';
import { sweepGrants } from '../../src/revoke/sweep.js';
import { recordsOf } from '../trust/helpers.js';
import { CONFIG, OCTOCAT_ARN, REPO, jitPolicies, requestFile, world, type World } from './world.js';
import { brokerClients } from './broker-clients.js';

const REPO_REF = { owner: 'acme', repo: 'access' };
const BREAK_GLASS_PROFILE = `  prod-logs-emergency:
    description: Repair the prod log bucket when nobody can approve.
    statements:
      - actions: [s3:PutObject]
        resources: ["arn:aws:s3:::acme-prod-logs/*"]
    maxDuration: 1h
    approvers: [acme/sre]
    breakGlass: { retroReviewWithin: 30m }
`;
const TEXT = CONFIG.replace('custom:', `${BREAK_GLASS_PROFILE}custom:`);
const config = (() => {
  const parsed = parseConfig(TEXT, 'jit.config.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value;
})();
const OBJECT = 'arn:aws:s3:::acme-prod-logs/2026/11/25/export.json';
const MINUTE = 60_000;

let w: World;
const events: NotifyEvent[] = [];
const notify = (e: NotifyEvent) => {
  events.push(e);
  return Promise.resolve();
};
beforeAll(async () => {
  w = await world({ config: TEXT });
});
afterAll(() => w.close());
beforeEach(() => {
  events.length = 0;
});

const octokit = () =>
  createGitHubClient({
    auth: w.gh.apps.mint(w.installation).token,
    baseUrl: w.gh.url,
    testTiming: { msPerSecond: 1 },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });

const clients = (workflow: 'grant' | 'revoke') =>
  brokerClients(w, workflow, workflow === 'grant' ? 'push' : 'issue_comment');

/** What revoke.yml's action does, in its order: `/revoke`s, `/break-glass`es, retro, sweep. */
async function sweepRun() {
  const gh = octokit();
  const aws = clients('revoke');
  const now = w.aws.clock.now();
  const stamp = { now, runId: '4343' };
  const log = await DecisionLog.open(gh, REPO_REF);
  const scan = await pendingRevokes({
    octokit: gh,
    repo: REPO_REF,
    defaultBranch: 'main',
    config,
    index: log.index,
    now,
  });
  await recordRevokes(log, scan.requests, stamp);
  const run = { octokit: gh, repo: REPO_REF, log, stamp, notify };
  const answers = await answerBreakGlass({
    ...run,
    defaultBranch: 'main',
    config,
    iamFor: (account) => aws.iam(account),
  });
  const retro = await reviewBreakGlass(run);
  const swept = await sweepGrants({
    config,
    now,
    iamFor: (account) => aws.iam(account),
    early: { prs: revokedPrs(log.index) },
  });
  for (const d of swept) if (d.kind === 'revoked') await log.append(removalRecord(d, stamp)!);
  return { answers, retro, swept };
}

async function grantRun() {
  const gh = octokit();
  const aws = clients('grant');
  return reconcileGrants({
    octokit: gh,
    repo: REPO_REF,
    defaultBranch: 'main',
    config,
    now: w.aws.clock.now(),
    log: await DecisionLog.open(gh, REPO_REF),
    iamFor: (account) => aws.iam(account),
  });
}

const emergency = (requester = 'octocat', duration = '1h') =>
  requestFile(requester, duration).replace('s3-logs-read', 'prod-logs-emergency');

/** A request PR opened by `author`, not reviewed. */
function openRequest(id: string, text = emergency(), author = 'octocat'): number {
  const pr = w.gh.state.openPullRequest(REPO, {
    author,
    headFiles: { [`requests/${id}.yaml`]: text },
  });
  w.aws.clock.advance(MINUTE);
  return pr.number;
}

const breakGlass = (pr: number, user = 'octocat') => {
  const c = w.gh.state.comment(REPO, pr, { user, body: '/break-glass prod export is down' });
  w.aws.clock.advance(30_000);
  return c;
};

const allowed = (action = 's3:PutObject') =>
  w.aws.authorize({ principalArn: OCTOCAT_ARN, action, resource: OBJECT });

const commentsOn = (pr: number) =>
  w.gh.state.comments.filter((c) => c.issueNumber === pr).map((c) => c.body);

test.each([
  {
    name: 'a profile that is not break-glass',
    text: requestFile('octocat', '1h'),
    code: 'BREAK_GLASS_NOT_ALLOWED',
  },
  {
    name: 'a comment by someone else than the requester',
    by: 'mallory',
    code: 'BREAK_GLASS_NOT_REQUESTER',
  },
  { name: 'an edited comment', edited: true, code: 'BREAK_GLASS_EDITED' },
  {
    name: 'a duration over the profile cap',
    text: emergency('octocat', '2h'),
    code: 'REQUEST_INVALID',
  },
])('refuses $name: recorded, answered, nothing granted', async (c) => {
  const pr = openRequest(`refused-${c.code.toLowerCase().replace(/_/g, '-')}`, c.text);
  const comment = breakGlass(pr, c.by);
  if (c.edited) {
    w.aws.clock.advance(MINUTE);
    w.gh.state.editComment(comment.id, '/break-glass');
  }
  const { answers } = await sweepRun();
  expect(answers).toEqual([
    expect.objectContaining({ kind: 'refused', pr, commentId: comment.id, code: c.code }),
  ]);
  expect(await jitPolicies(w)).toHaveLength(0);
  expect(recordsOf(w, pr)).toEqual(['break-glass-refused']);
  expect(commentsOn(pr).at(-1)).toContain('Nothing was granted');
  // Answered once: the next sweep does not judge the same comment again.
  expect((await sweepRun()).answers).toEqual([]);
});

test.each([
  {
    name: 'approved in time: the grant runs to its natural end',
    review: (pr: number) => w.gh.state.review(REPO, pr, { user: 'sre-bob', state: 'APPROVED' }),
    retro: 'approved',
    records: ['granted', 'retro-approved', 'removed'],
  },
  {
    name: 'not reviewed: ended early and the approvers alerted',
    review: () => undefined,
    retro: 'missed',
    records: ['granted', 'retro-missed', 'removed'],
  },
  {
    name: 'approved only by someone who is not an approver: missed',
    review: (pr: number) => w.gh.state.review(REPO, pr, { user: 'mallory', state: 'APPROVED' }),
    retro: 'missed',
    records: ['granted', 'retro-missed', 'removed'],
  },
  {
    name: 'the PR pushed after the grant, the new head approved: missed',
    review: (pr: number) => {
      w.gh.state.push(REPO, pr, undefined, {
        headFiles: { 'requests/pushed.yaml': emergency() },
      });
      w.gh.state.review(REPO, pr, { user: 'sre-bob', state: 'APPROVED' });
    },
    retro: 'missed',
    records: ['granted', 'retro-missed', 'removed'],
  },
])("break-glass on the requester's word, retro review $name", async (c) => {
  const pr = openRequest(`glass-${c.records[1]}-${c.name.length}`);
  const comment = breakGlass(pr);
  const grantedAt = w.aws.clock.now();
  expect(allowed()).toBe('denied');

  const first = await sweepRun();
  expect(first.answers).toEqual([
    expect.objectContaining({ kind: 'granted', pr, commentId: comment.id, by: 'octocat' }),
  ]);
  const granted = first.answers[0]!;
  if (granted.kind !== 'granted') throw new Error('not granted');
  // Short by force, and exactly what was asked: the policy allows the profile and no more.
  expect(granted.window.expiry.getTime() - granted.window.start.getTime()).toBe(60 * MINUTE);
  expect(granted.retroDue.getTime() - grantedAt.getTime()).toBe(30 * MINUTE);
  // The window opens strictly after its start (DateGreaterThan).
  w.aws.clock.advance(1000);
  expect(allowed()).toBe('allowed');
  expect(allowed('s3:DeleteObject')).toBe('denied');
  // Loud: the PR mentions the approvers, the channel hears of it, the log holds it.
  expect(commentsOn(pr).at(-1)).toContain('@acme/sre');
  expect(events.map((e) => [e.kind, e.pr, e.by])).toEqual([['break-glass', pr, 'octocat']]);
  const paths = [...w.gh.state.resolveRef(REPO, 'jit-log').files.keys()];
  expect(paths).toContain(`pr/${pr}/0001-granted-c${comment.id}.json`);

  w.aws.clock.advance(10 * MINUTE);
  c.review(pr);
  w.aws.clock.advance(MINUTE);
  await sweepRun();
  w.aws.clock.set(new Date(granted.retroDue.getTime() + MINUTE));
  const late = await sweepRun();
  if (c.retro === 'approved') {
    // Still live after the deadline: nothing was missed, nothing ended early.
    expect(allowed()).toBe('allowed');
    expect(late.swept.filter((d) => d.kind === 'revoked')).toEqual([]);
    w.aws.clock.set(new Date(granted.window.expiry.getTime() + MINUTE));
    const end = await sweepRun();
    expect(end.swept).toEqual([expect.objectContaining({ kind: 'revoked', reason: 'expired' })]);
  } else {
    expect(late.retro).toEqual([expect.objectContaining({ kind: 'missed', pr })]);
    expect(late.swept).toEqual([expect.objectContaining({ kind: 'revoked', reason: 'early' })]);
    expect(allowed()).toBe('denied');
    expect(commentsOn(pr).at(-1)).toContain('@acme/sre');
    expect(commentsOn(pr).at(-1)).toContain('retro review missed');
    expect(events.at(-1)).toMatchObject({ kind: 'break-glass', pr });
    expect(events.at(-1)?.detail).toContain('retro review missed');
  }
  expect(recordsOf(w, pr)).toEqual(c.records);

  // Merged later, approved or not: the log's granted record means it is never granted again.
  w.gh.state.review(REPO, pr, { user: 'sre-carol', state: 'APPROVED' });
  w.gh.state.merge(REPO, pr, { by: 'sre-bob' });
  w.aws.clock.advance(MINUTE);
  const decisions = await grantRun();
  expect(decisions.filter((d) => d.pr === pr)).toEqual([]);
  expect(await jitPolicies(w)).toHaveLength(0);
  expect(recordsOf(w, pr)).toEqual(c.records);
  // Clean slate for the next case.
  w.aws.clock.advance(2 * 60 * MINUTE);
});

test('an approver ends a break-glass grant at once with /revoke, before any merge', async () => {
  const pr = openRequest('glass-revoked-by-approver');
  breakGlass(pr);
  expect((await sweepRun()).answers).toEqual([expect.objectContaining({ kind: 'granted', pr })]);
  w.aws.clock.advance(MINUTE);
  expect(allowed()).toBe('allowed');

  w.gh.state.comment(REPO, pr, { user: 'sre-carol', body: '/revoke' });
  w.aws.clock.advance(MINUTE);
  const { swept } = await sweepRun();
  expect(swept).toEqual([expect.objectContaining({ kind: 'revoked', reason: 'early' })]);
  expect(allowed()).toBe('denied');
  expect(recordsOf(w, pr)).toEqual(['granted', 'revoked', 'removed']);
});
