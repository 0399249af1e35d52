/**
 * Audit and notifications end to end, against the GitHub and AWS emulators: the grant reconciler
 * and the revoke sweep (the code the actions run, in process so that this branch's code is what
 * runs) write the decision log while their webhook hangs or fails; `jit audit` then reads that log
 * through the GitHub API and reports each request from its records alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { simulatedS3Activity } from '../../src/demo/scenario.js';
import { createGitHubClient } from '../../src/github/client.js';
import { reconcileGrants } from '../../src/grant/reconcile.js';
import { webhookNotifier } from '../../src/notify/webhook.js';
import type { NotifyFormat } from '../../src/notify/format.js';
import { DecisionLog } from '../../src/record/log.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { recordRevokes, removalRecord, revokedPrs } from '../../src/revoke/answer.js';
import { collectUsage } from '../../src/revoke/collect-usage.js';
import { pendingRevokes } from '../../src/revoke/requests.js';
import { sweepGrants } from '../../src/revoke/sweep.js';
import type { Audit } from '../../src/audit/audit.js';
import { startReceiver, type Behaviour, type Receiver } from '../notify/receiver.js';
import { approvedAndMerged } from '../trust/helpers.js';
import { CONFIG, OCTOCAT_ARN, ACCOUNT, REPO, T0, world, type World, jitPolicies } from './world.js';
import { brokerClients } from './broker-clients.js';

const REPO_REF = { owner: 'acme', repo: 'access' };
const config = (() => {
  const parsed = parseConfig(CONFIG, 'jit.config.yaml');
  if (!parsed.ok) throw new Error('the world config is invalid');
  return parsed.value;
})();
const HOSTILE = '=cmd|calc Export failed <!channel> *bold* <http://evil|click>';

let w: World;
const receivers: Receiver[] = [];
beforeAll(async () => {
  w = await world();
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await w.close();
});

/** A run's GitHub client: a fresh installation token, as each workflow run mints one. */
const octokit = () =>
  createGitHubClient({
    auth: w.gh.apps.mint(w.installation).token,
    baseUrl: w.gh.url,
    testTiming: { msPerSecond: 1 },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });

/** The broker role through OIDC, as the workflow's job holds it. */
const clients = (workflow: 'grant' | 'revoke') =>
  brokerClients(w, workflow, workflow === 'grant' ? 'push' : 'schedule');

async function webhook(behaviour: Behaviour, format: NotifyFormat) {
  const receiver = await startReceiver(behaviour);
  receivers.push(receiver);
  const warnings: string[] = [];
  const notify = webhookNotifier({
    url: new URL(receiver.url),
    format,
    repository: REPO,
    serverUrl: 'https://github.com',
    timeoutMs: 150,
    warn: (m) => warnings.push(m),
  });
  return { receiver, warnings, notify };
}

async function grantRun(notify: ReturnType<typeof webhookNotifier>) {
  const gh = octokit();
  const aws = clients('grant');
  return reconcileGrants({
    octokit: gh,
    repo: REPO_REF,
    defaultBranch: 'main',
    config,
    now: w.aws.clock.now(),
    log: await DecisionLog.open(gh, REPO_REF),
    runId: '4242',
    iamFor: (account) => aws.iam(account),
    notify,
  });
}

/** What revoke.yml's action does: answer `/revoke`s, sweep, record each removal with its usage. */
async function revokeRun(notify: ReturnType<typeof webhookNotifier>) {
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
  });
  await recordRevokes(log, scan.requests, stamp);
  const decisions = await sweepGrants({
    config,
    now,
    iamFor: (account) => aws.iam(account),
    early: { prs: revokedPrs(log.index) },
    notify,
  });
  for (const d of decisions) {
    if (d.kind !== 'revoked') continue;
    const usage = await collectUsage(d, (r) => aws.cloudtrail(d.account, r), now);
    await log.append(removalRecord(d, stamp, usage)!);
  }
  return decisions;
}

async function audit(format: string, until: Date, extra: string[] = []) {
  let stdout = '';
  let stderr = '';
  const code = await main(
    [
      'audit',
      '--repo',
      REPO,
      '--api-url',
      w.gh.url,
      '--format',
      format,
      '--since',
      '2026-11-24',
      '--until',
      until.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...extra,
    ],
    {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { GITHUB_TOKEN: w.token },
      cwd: w.workspace,
    },
  );
  return { code, stdout, stderr };
}

test('grants and revokes go on whatever the webhook does; jit audit reports them from the log', async () => {
  // octocat's request, approved; mallory's, merged without an approval.
  const granted = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-logs.yaml',
    text: `requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 2h\nreason: "${HOSTILE}"\nticket: INC-4211\n`,
  });
  const refused = approvedAndMerged(w, {
    author: 'mallory',
    file: 'requests/mallory-logs.yaml',
    text: `requester: mallory\naccount: prod\nprofile: s3-logs-read\nduration: 1h\nreason: quick look\n`,
    approvers: [],
  });

  // The grant run's webhook never answers: each notification costs two short timeouts.
  const hanging = await webhook('hang', 'slack');
  const decisions = await grantRun(hanging.notify);
  expect(decisions.map((d) => [d.pr, d.kind, d.unrecorded])).toEqual(
    expect.arrayContaining([
      [granted, 'granted', undefined],
      [refused, 'refused', undefined],
    ]),
  );
  expect(await jitPolicies(w)).toHaveLength(1);
  expect(hanging.receiver.requests).toHaveLength(4);
  expect(hanging.warnings).toEqual(
    expect.arrayContaining([
      `the slack notification (granted for PR #${granted}) was not delivered: no answer within 150 ms`,
      `the slack notification (refused for PR #${refused}) was not delivered: no answer within 150 ms`,
    ]),
  );

  // octocat uses the access; the window ends; the sweep's webhook answers 500.
  const grant = decisions.find((d) => d.kind === 'granted');
  if (grant?.kind !== 'granted') throw new Error('not granted');
  w.aws.state.cloudtrail.seed(
    simulatedS3Activity({
      window: grant.plan.window,
      principalArn: OCTOCAT_ARN,
      accountId: ACCOUNT,
      region: 'eu-west-1',
    }),
  );
  w.aws.clock.set(new Date(grant.plan.window.expiry.getTime() + 5 * 60_000));
  const failing = await webhook('500', 'teams');
  const swept = await revokeRun(failing.notify);
  expect(swept.map((d) => d.kind)).toEqual(['revoked']);
  expect(await jitPolicies(w)).toHaveLength(0);
  expect(failing.receiver.requests).toHaveLength(2);
  expect(failing.warnings).toEqual([
    `the teams notification (expired for PR #${granted}) was not delivered: the webhook answered HTTP 500`,
  ]);

  // A second request, granted, then ended early by an approver's /revoke; this webhook works.
  const again = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-again.yaml' });
  const healthy = await webhook('ok', 'json');
  expect((await grantRun(healthy.notify)).map((d) => d.kind)).toEqual(['granted']);
  w.aws.clock.advance(20 * 60_000);
  w.gh.state.comment(REPO, again, { user: 'sre-carol', body: '/revoke' });
  w.aws.clock.advance(60_000);
  expect((await revokeRun(healthy.notify)).map((d) => d.kind)).toEqual(['revoked']);
  expect(healthy.warnings).toEqual([]);
  expect(healthy.receiver.requests.map((r) => (r.body as { event: string }).event)).toEqual([
    'granted',
    'revoked',
  ]);

  const until = new Date(w.aws.clock.now().getTime() + 60_000);
  const json = await audit('json', until);
  expect(json.stderr).toBe('');
  expect(json.code).toBe(0);
  const report = JSON.parse(json.stdout) as Audit & { source: { records: number } };
  expect(report.rows.map((r) => [r.pr, r.outcome])).toEqual([
    [granted, 'expired'],
    [refused, 'refused'],
    [again, 'revoked'],
  ]);
  const [expired, refusal, revoked] = report.rows;
  expect(expired).toMatchObject({
    requester: 'octocat',
    requesterFrom: 'record',
    reason: HOSTILE,
    ticket: 'INC-4211',
    approvers: ['sre-bob'],
    commit: grant.commit,
    account: 'prod',
    backend: 'iam',
    profile: 's3-logs-read',
    actions: ['s3:GetObject', 's3:ListBucket'],
    window: {
      start: grant.plan.window.start.toISOString(),
      expiry: grant.plan.window.expiry.toISOString(),
    },
    usage: { recorded: true, usage: { source: 'lookup-events' } },
  });
  expect(refusal).toMatchObject({ requester: 'mallory', reason: 'quick look' });
  expect(refusal!.refusal!.codes.length).toBeGreaterThan(0);
  expect(revoked).toMatchObject({ revoked: { by: 'sre-carol' }, usage: { recorded: true } });
  expect(report.totals).toMatchObject({
    requests: 3,
    granted: 2,
    refused: 1,
    expired: 1,
    revoked: 1,
    live: 0,
    usageRecorded: 2,
    usageNotRecorded: 0,
  });
  // Every record on the branch was read; the skipped merges are not requests.
  const onBranch = [...w.gh.state.resolveRef(REPO, 'jit-log').files.keys()].filter((p) =>
    p.startsWith('pr/'),
  );
  expect(report.source.records).toBe(onBranch.length);

  // The same log as CSV: one row per request, the hostile reason never a formula.
  const csv = await audit('csv', until);
  const lines = csv.stdout.trimEnd().split('\r\n');
  expect(lines).toHaveLength(4);
  expect(lines[1]).toContain(`,'${HOSTILE},`);

  // --out-dir: every format from one read of the log.
  const outDir = await audit('json', until, ['--out-dir', 'report']);
  expect(outDir.code).toBe(0);
  for (const f of ['md', 'json', 'csv'])
    expect(readFileSync(join(w.workspace, 'report', `audit.${f}`), 'utf8')).toBe(
      (await audit(f, until)).stdout,
    );

  // A past period's report does not change as the log grows.
  const before = await audit('md', new Date(T0.getTime() + 60 * 60_000));
  expect(before.code).toBe(0);
  expect(before.stdout).toContain('| 2 | 1 | 1 | 0 | 1 | 0 | 0 |');
  expect(before.stdout).toContain('| `live` |');
});
