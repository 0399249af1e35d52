/**
 * Extending a live grant (decision 025), against the GitHub and AWS emulators: the grant
 * reconciler runs in process (the code grant.yml's action runs), IAM is asked what it allows at
 * each instant, and the decision log is read back from its branch.
 */
import { Octokit } from '@octokit/rest';
import { createGitHubClient } from '../../src/github/client.js';
import { checkPullRequest } from '../../src/plan/pull-request.js';
import { reconcileGrants, type GrantDecision } from '../../src/grant/reconcile.js';
import { renderGrantComment } from '../../src/report/grant-comment.js';
import { DecisionLog } from '../../src/record/log.js';
import type { DecisionRecord } from '../../src/record/record.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { recordRevokes, removalRecord, revokedPrs } from '../../src/revoke/answer.js';
import { pendingRevokes, revokeReply } from '../../src/revoke/requests.js';
import { sweepGrants } from '../../src/revoke/sweep.js';
import { approvedAndMerged, recordsOf } from '../trust/helpers.js';
import { CONFIG, OCTOCAT_ARN, REPO, world, jitPolicies, type World } from './world.js';
import { brokerClients } from './broker-clients.js';

const REPO_REF = { owner: 'acme', repo: 'access' };
const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
/** The world's config, with a 5h cap on a chain of s3-logs-read grants. */
const TEXT = CONFIG.replace('    maxDuration: 4h\n', '    maxDuration: 4h\n    maxChain: 5h\n');
const config = (() => {
  const parsed = parseConfig(TEXT, 'jit.config.yaml');
  if (!parsed.ok) throw new Error('the test config is invalid');
  return parsed.value;
})();

let w: World;
/** When the first test's chain ended. */
let lastExpiry: Date;
beforeAll(async () => {
  w = await world({ config: TEXT });
});
afterAll(() => w.close());

async function grantRun(failGranted = false): Promise<GrantDecision[]> {
  const gh = createGitHubClient({
    auth: w.gh.apps.mint(w.installation).token,
    baseUrl: w.gh.url,
    testTiming: { msPerSecond: 1 },
    log: SILENT,
  });
  const aws = brokerClients(w, 'grant', 'push');
  return reconcileGrants({
    octokit: gh,
    repo: REPO_REF,
    defaultBranch: 'main',
    config,
    now: w.aws.clock.now(),
    log: failing(await DecisionLog.open(gh, REPO_REF), failGranted),
    runId: '4242',
    iamFor: (account) => aws.iam(account),
  });
}

/** The log, whose `granted` appends fail when asked: the run dies just before writing one. */
function failing(log: DecisionLog, failGranted: boolean): DecisionLog {
  if (!failGranted) return log;
  const append = log.append.bind(log);
  log.append = (record) =>
    record.kind === 'granted' ? Promise.reject(new Error('log write failed')) : append(record);
  return log;
}

const request = (requester: string, duration: string, extendsId?: string) =>
  `requester: ${requester}\naccount: prod\nprofile: s3-logs-read\nduration: ${duration}\nreason: Investigate the failed nightly export from INC-4211.\n${extendsId ? `extends: ${extendsId}\n` : ''}`;

/** The records of a PR, oldest first, as JSON. */
function records(pr: number): DecisionRecord[] {
  const files = w.gh.state.resolveRef(REPO, 'jit-log').files;
  return [...files.keys()]
    .filter((p) => p.startsWith(`pr/${pr}/`))
    .sort()
    .map((p) => JSON.parse(files.get(p)!.toString('utf8')) as DecisionRecord);
}

const readsLogs = () =>
  w.aws.authorize({
    principalArn: OCTOCAT_ARN,
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::acme-prod-logs/2026/11/25/export.log',
  });

const at = (date: Date, offsetMs: number) => w.aws.clock.set(new Date(date.getTime() + offsetMs));
const granted = (d: GrantDecision | undefined) => {
  if (d?.kind !== 'granted') throw new Error(`not granted: ${JSON.stringify(d)}`);
  return d;
};

test('an extension starts before the old grant ends, replaces it, and stays within the chain cap', async () => {
  const first = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-logs.yaml',
    text: request('octocat', '2h'),
  });
  const old = granted((await grantRun()).find((d) => d.pr === first));
  const oldExpiry = old.plan.window.expiry;

  // An hour before it ends, octocat asks for two more hours.
  at(oldExpiry, -60 * 60_000);
  const second = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-logs-more.yaml',
    text: request('octocat', '2h', 'octocat-logs'),
  });
  const decisions = await grantRun();
  expect(decisions.map((d) => [d.pr, d.kind])).toEqual([[second, 'granted']]);
  const extension = granted(decisions[0]);
  lastExpiry = extension.plan.window.expiry;
  expect(extension.plan.window.start.getTime()).toBeLessThan(oldExpiry.getTime());
  expect(extension.extension).toMatchObject({
    kind: 'extends',
    of: 'octocat-logs',
    pr: first,
    chainStart: old.plan.window.start,
  });
  expect(extension.extension).not.toHaveProperty('left');
  expect(renderGrantComment(extension)).toContain(
    'its policy was removed once this one was attached',
  );

  // Only the new policy is left; the old PR records its removal, the new one what it extends.
  expect((await jitPolicies(w)).map((p) => p.PolicyName)).toEqual(['jit-octocat-logs-more']);
  expect(recordsOf(w, first)).toEqual(['granted', 'removed']);
  expect(records(first)[1]).toMatchObject({
    kind: 'removed',
    requestId: 'octocat-logs',
    reason: 'extended',
    extendedBy: second,
    detached: ['user/octocat'],
  });
  expect(records(second)[0]).toMatchObject({
    kind: 'granted',
    requestId: 'octocat-logs-more',
    extends: 'octocat-logs',
    extendsPr: first,
    chainStart: old.plan.window.start.toISOString(),
  });

  // No gap: IAM allows the read a second either side of the old expiry, and not after the new one.
  at(oldExpiry, -1000);
  expect(readsLogs()).toBe('allowed');
  at(oldExpiry, 1000);
  expect(readsLogs()).toBe('allowed');
  at(extension.plan.window.expiry, 1000);
  expect(readsLogs()).toBe('denied');

  // A re-run changes nothing: both PRs are decided.
  at(oldExpiry, -30 * 60_000);
  expect(await grantRun()).toEqual([]);

  // mallory cannot extend octocat's grant; octocat cannot take the chain past its 5h cap.
  const theirs = approvedAndMerged(w, {
    author: 'mallory',
    file: 'requests/mallory-logs.yaml',
    text: request('mallory', '1h', 'octocat-logs-more'),
  });
  const tooLong = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-logs-longer.yaml',
    text: request('octocat', '4h', 'octocat-logs-more'),
  });
  const refusals = await grantRun();
  const codes = (pr: number) => {
    const d = refusals.find((r) => r.pr === pr);
    return d?.kind === 'refused' ? d.problems.map((p) => p.code) : d?.kind;
  };
  expect(codes(theirs)).toEqual(['EXTEND_NOT_YOURS']);
  expect(codes(tooLong)).toEqual(['EXTEND_CHAIN_TOO_LONG']);
  expect(recordsOf(w, theirs)).toEqual(['refused']);
  expect(recordsOf(w, tooLong)).toEqual(['refused']);
  expect((await jitPolicies(w)).map((p) => p.PolicyName)).toEqual(['jit-octocat-logs-more']);
  expect(recordsOf(w, second)).toEqual(['granted']);
});

test('an extension merged after the grant it names has ended is granted as a new grant', async () => {
  // octocat-logs-more ended ten minutes ago, unswept; an extension of it is merged only now.
  at(lastExpiry, 10 * 60_000);
  const late = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-logs-again.yaml',
    text: request('octocat', '1h', 'octocat-logs-more'),
  });
  const decision = granted((await grantRun()).find((d) => d.pr === late));
  expect(decision.extension).toMatchObject({ kind: 'lapsed', of: 'octocat-logs-more' });
  expect(renderGrantComment(decision)).toContain('granted as a new grant, not an extension');
  const record = records(late)[0];
  expect(record).toMatchObject({ kind: 'granted', requestId: 'octocat-logs-again' });
  expect(record).not.toHaveProperty('extends');
  // The ended grant's policy is left for the sweep, as any expired grant's is.
  expect((await jitPolicies(w)).map((p) => p.PolicyName).sort()).toEqual([
    'jit-octocat-logs-again',
    'jit-octocat-logs-more',
  ]);
  expect(readsLogs()).toBe('allowed');
});

test('a revoked grant is not extended', async () => {
  const first = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-revoked.yaml',
    text: request('octocat', '2h'),
  });
  granted((await grantRun()).find((d) => d.pr === first));
  // An approver's /revoke, as the revoke run records it before the sweep deletes the policy.
  const gh = new Octokit({ baseUrl: w.gh.url, auth: w.gh.apps.mint(w.installation).token });
  const log = await DecisionLog.open(gh, REPO_REF);
  await log.append({
    v: 1,
    pr: first,
    at: w.aws.clock.now().toISOString(),
    kind: 'revoked',
    by: 'sre-carol',
    commentId: 991,
  });
  const again = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-revoked-more.yaml',
    text: request('octocat', '1h', 'octocat-revoked'),
  });
  const decision = (await grantRun()).find((d) => d.pr === again);
  expect(decision?.kind === 'refused' && decision.problems.map((p) => p.code)).toEqual([
    'EXTEND_REVOKED',
  ]);
  expect((await jitPolicies(w)).map((p) => p.PolicyName)).not.toContain('jit-octocat-revoked-more');
});

test('a run that removed the old grant but could not record the new one is finished by the next', async () => {
  const first = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-idem.yaml',
    text: request('octocat', '2h'),
  });
  granted((await grantRun()).find((d) => d.pr === first));
  const second = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-idem-more.yaml',
    text: request('octocat', '1h', 'octocat-idem'),
  });
  const lost = (await grantRun(true)).find((d) => d.pr === second);
  expect(lost).toMatchObject({ kind: 'granted', unrecorded: 'log write failed' });
  expect(recordsOf(w, first)).toEqual(['granted', 'removed']);
  expect(recordsOf(w, second)).toEqual([]);

  const again = granted((await grantRun()).find((d) => d.pr === second));
  expect(again).toMatchObject({ created: false, extension: { kind: 'extends', pr: first } });
  expect(recordsOf(w, first)).toEqual(['granted', 'removed']);
  expect(recordsOf(w, second)).toEqual(['granted']);
  const names = (await jitPolicies(w)).map((p) => p.PolicyName);
  expect(names).toContain('jit-octocat-idem-more');
  expect(names).not.toContain('jit-octocat-idem');
});

test('the request check finds the named request on the base branch, and whose it is', async () => {
  const checked = async (author: string, file: string, extendsId: string) => {
    const pr = w.gh.state.openPullRequest(REPO, {
      author,
      headFiles: { [file]: request(author, '1h', extendsId) },
    });
    const check = await checkPullRequest({
      octokit: new Octokit({ baseUrl: w.gh.url, auth: w.token, log: SILENT }),
      repo: REPO_REF,
      pullNumber: pr.number,
      headSha: pr.headSha,
      config,
      now: w.aws.clock.now(),
      baseRef: 'main',
    });
    const outcome = check.outcomes[0];
    return outcome?.ok === false ? outcome.problems.map((p) => [p.code, p.line]) : outcome?.ok;
  };
  expect(await checked('octocat', 'requests/octocat-logs-tomorrow.yaml', 'octocat-logs')).toBe(
    true,
  );
  expect(await checked('octocat', 'requests/octocat-typo.yaml', 'octocat-lgos')).toEqual([
    ['EXTEND_NOT_FOUND', 6],
  ]);
  expect(await checked('mallory', 'requests/mallory-more.yaml', 'octocat-logs')).toEqual([
    ['EXTEND_NOT_YOURS', 6],
  ]);
});

test('a grant and its extension merged before one run are granted in order, the extension last', async () => {
  const first = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-pair.yaml',
    text: request('octocat', '1h'),
  });
  const second = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-pair-more.yaml',
    text: request('octocat', '1h', 'octocat-pair'),
  });
  const decisions = await grantRun();
  expect(decisions.map((d) => [d.pr, d.kind])).toEqual([
    [first, 'granted'],
    [second, 'granted'],
  ]);
  expect(granted(decisions[1]).extension).toMatchObject({ kind: 'extends', pr: first });
  expect(recordsOf(w, first)).toEqual(['granted', 'removed']);
  const names = (await jitPolicies(w)).map((p) => p.PolicyName);
  expect(names).toContain('jit-octocat-pair-more');
  expect(names).not.toContain('jit-octocat-pair');
});

test('an extension whose grant is not decided yet waits for it; one naming nothing is refused', async () => {
  const first = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-late.yaml',
    text: request('octocat', '1h'),
  });
  const second = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-late-more.yaml',
    text: request('octocat', '1h', 'octocat-late'),
  });
  const stray = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-stray.yaml',
    text: request('octocat', '1h', 'octocat-never'),
  });
  // The first grant's record cannot be written: it is not decided, so its extension is delayed.
  const held = await grantRun(true);
  expect(held.find((d) => d.pr === first)).toMatchObject({ unrecorded: 'log write failed' });
  expect(held.find((d) => d.pr === second)).toMatchObject({
    kind: 'delayed',
    code: 'EXTEND_PENDING',
  });
  expect(recordsOf(w, second)).toEqual([]);
  const strayDecision = held.find((d) => d.pr === stray);
  expect(strayDecision?.kind === 'refused' && strayDecision.problems.map((p) => p.code)).toEqual([
    'EXTEND_NOT_FOUND',
  ]);
  expect(recordsOf(w, stray)).toEqual(['refused']);

  // The next run records the first grant, then extends it.
  const decisions = await grantRun();
  expect(decisions.map((d) => [d.pr, d.kind])).toEqual([
    [first, 'granted'],
    [second, 'granted'],
  ]);
  expect(granted(decisions[1]).extension).toMatchObject({ kind: 'extends', pr: first });
  expect(recordsOf(w, first)).toEqual(['granted', 'removed']);
  expect(recordsOf(w, second)).toEqual(['granted']);
});

/**
 * What revoke.yml's action does with `/revoke`s: record each, reply, then sweep. `commented` is
 * the PR of the comment that started the run, as the action reads it from the event.
 */
async function revokeRun(commented?: number) {
  const gh = new Octokit({ baseUrl: w.gh.url, auth: w.gh.apps.mint(w.installation).token });
  const aws = brokerClients(w, 'revoke', 'issue_comment');
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
    ...(commented !== undefined ? { commented } : {}),
  });
  expect(scan.failures).toEqual([]);
  const { recorded } = await recordRevokes(log, scan.requests, stamp);
  const replies = recorded.map((r) => [r.on ?? r.pr, revokeReply(r)] as const);
  const swept = await sweepGrants({
    config,
    now,
    iamFor: (account) => aws.iam(account),
    early: { prs: revokedPrs(log.index) },
  });
  for (const d of swept) if (d.kind === 'revoked') await log.append(removalRecord(d, stamp)!);
  return { recorded, replies };
}

/** octocat's one-hour grant `id`, then `id-more` extending it, each merged and granted. */
async function grantedChain(id: string) {
  const first = approvedAndMerged(w, {
    author: 'octocat',
    file: `requests/${id}.yaml`,
    text: request('octocat', '1h'),
  });
  granted((await grantRun()).find((d) => d.pr === first));
  const second = approvedAndMerged(w, {
    author: 'octocat',
    file: `requests/${id}-more.yaml`,
    text: request('octocat', '1h', id),
  });
  granted((await grantRun()).find((d) => d.pr === second));
  return { first, second };
}

test('a /revoke on an extended grant ends the live extension, if the commenter may end both', async () => {
  const { first, second } = await grantedChain('octocat-chain');
  expect(recordsOf(w, first)).toEqual(['granted', 'removed']);

  // mallory may end neither: refused, recorded on the live grant, told on the PR she wrote on.
  const hers = w.gh.state.comment(REPO, first, { user: 'mallory', body: '/revoke' });
  w.aws.clock.advance(30_000);
  const refused = await revokeRun();
  expect(refused.recorded.map((r) => [r.pr, r.on, r.by, r.verdict.allowed])).toEqual([
    [second, first, 'mallory', false],
  ]);
  expect(refused.replies[0]![0]).toBe(first);
  expect(refused.replies[0]![1]).toContain(`its access lives on #${second}`);
  expect(records(second).at(-1)).toMatchObject({
    kind: 'revoke-refused',
    commentId: hers.id,
    commentPr: first,
  });
  expect((await jitPolicies(w)).map((p) => p.PolicyName)).toContain('jit-octocat-chain-more');

  // The requester's own /revoke on the old PR ends the live extension.
  const theirs = w.gh.state.comment(REPO, first, { user: 'octocat', body: '/revoke' });
  w.aws.clock.advance(30_000);
  const ended = await revokeRun();
  expect(ended.recorded.map((r) => [r.pr, r.on, r.by, r.verdict.allowed])).toEqual([
    [second, first, 'octocat', true],
  ]);
  expect(ended.replies[0]![1]).toContain(`this grant was extended by #${second}`);
  expect(records(second)).toMatchObject([
    { kind: 'granted' },
    { kind: 'revoke-refused' },
    { kind: 'revoked', by: 'octocat', commentId: theirs.id, commentPr: first },
    { kind: 'removed', reason: 'early' },
  ]);
  expect((await jitPolicies(w)).map((p) => p.PolicyName)).not.toContain('jit-octocat-chain-more');

  // Each comment was answered once: a later run has nothing to say.
  expect((await revokeRun()).recorded).toEqual([]);
});

test('a /revoke on a chain whose grants have all ended is answered: nothing to end, and how it ended', async () => {
  const { first, second } = await grantedChain('octocat-ended');
  w.aws.clock.advance(3 * 3600_000);
  await revokeRun();
  expect(recordsOf(w, second)).toEqual(['granted', 'removed']);

  const onFirst = w.gh.state.comment(REPO, first, { user: 'octocat', body: '/revoke' });
  const answered = await revokeRun(first);
  expect(answered.recorded.map((r) => [r.pr, r.by, r.verdict.allowed])).toEqual([
    [first, 'octocat', false],
  ]);
  expect(answered.replies).toEqual([
    [
      first,
      `Sorry \`octocat\`: \`nothing to end: #${first} was extended by #${second}, #${second} ended at the end of its window; no grant of this chain is live\`. Nothing was revoked.`,
    ],
  ]);
  expect(records(first).at(-1)).toMatchObject({ kind: 'revoke-refused', commentId: onFirst.id });

  w.gh.state.comment(REPO, second, { user: 'mallory', body: '/revoke' });
  const onSecond = await revokeRun(second);
  expect(onSecond.replies[0]?.[1]).toContain(
    `nothing to end: #${second} ended at the end of its window; no grant of this chain is live`,
  );
  // Each was answered once.
  expect((await revokeRun(first)).recorded).toEqual([]);
  expect((await revokeRun(second)).recorded).toEqual([]);
});
