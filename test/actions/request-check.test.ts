/**
 * The request check in process, against both emulators over HTTP: the verdict on the PR's head
 * commit is written before the CloudTrail report is read, and a slow LookupEvents (the AWS
 * emulator's latency fault) cuts the report at its budget, which the comment says, with what was
 * read, instead of holding the check or presenting partial figures as the whole.
 */
import { Octokit } from '@octokit/rest';
import { readFile } from 'node:fs/promises';
import { requestCheck } from '../../actions/request/src/check.js';
import { cloudTrailActivity } from '../../src/plan/cloudtrail-activity.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { outsideCode, renderGfm } from '../report/render.js';
import { CONFIG, OCTOCAT_ARN, REPO, T0, requestFile, world, type World } from '../e2e/world.js';

let w: World;
let octokit: Octokit;
let runbook: { text: string; file: string };
const parsed = parseConfig(CONFIG, 'jit.config.yaml');
if (!parsed.ok) throw new Error('the world config must parse');
const config = parsed.value;

beforeAll(async () => {
  w = await world();
  w.aws.clock.runFrom(T0);
  octokit = new Octokit({ baseUrl: w.gh.url, auth: w.token });
  const file = 'runbooks/requester-context.yaml';
  runbook = { text: await readFile(file, 'utf8'), file };
});
afterEach(() => w.aws.faults.clear());
afterAll(() => w.close());

const sticky = (number: number) =>
  w.gh.state.comments.filter(
    (c) => c.issueNumber === number && c.body.includes('jit-access:request'),
  );

/** The check as the action runs it, with the request workflow's OIDC identity. */
function check(pullNumber: number, headSha: string, budgetSeconds: number, seen: string[] = []) {
  const now = w.aws.clock.now();
  return requestCheck({
    octokit,
    repo: { owner: 'acme', repo: 'access' },
    pullNumber,
    headSha,
    config,
    now,
    commentAuthor: 'github-actions[bot]',
    reports: cloudTrailActivity({
      getIdToken: () =>
        w.gh.oidc.mint(
          {
            repository: REPO,
            eventName: 'pull_request_target',
            workflowPath: '.github/workflows/request.yml',
          },
          'sts.amazonaws.com',
        ),
      region: 'us-east-1',
      sessionName: 'jit-request-test',
      runbook,
      now,
      budgetSeconds,
      endpoint: w.aws.url,
    }),
    onVerdict: () => seen.push(sticky(pullNumber)[0]?.body ?? ''),
  });
}

/** `count` of the requester's S3 calls in eu-west-1, spread evenly over the last 30 days. */
function seedHistory(count: number) {
  const span = 30 * 24 * 3600_000;
  const now = w.aws.clock.now().getTime();
  w.aws.state.cloudtrail.seed({
    Records: Array.from({ length: count }, (_, i) => {
      const eventTime = new Date(now - 60_000 - Math.floor((i * span) / count)).toISOString();
      return {
        eventVersion: '1.09',
        userIdentity: {
          type: 'IAMUser',
          principalId: 'AIDAEXAMPLEOCTOCAT',
          arn: OCTOCAT_ARN,
          accountId: '123456789012',
          userName: 'octocat',
        },
        eventTime,
        eventSource: 's3.amazonaws.com',
        eventName: 'ListObjects',
        awsRegion: 'eu-west-1',
        sourceIPAddress: '203.0.113.7',
        userAgent: 'aws-cli/2.15.0',
        requestParameters: { bucketName: 'acme-prod-logs' },
        responseElements: null,
        eventID: `history-${i}`,
        eventType: 'AwsApiCall',
        recipientAccountId: '123456789012',
      };
    }),
  });
}

function openRequest(duration = '2h') {
  return w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-logs.yaml': requestFile('octocat', duration) },
  });
}

test('after a push, the new commit’s verdict is posted before a slow report, which the budget cuts', async () => {
  const pr = openRequest();
  const oldSha = pr.headSha;
  await check(pr.number, oldSha, 30);
  const before = sticky(pr.number)[0]!.body;
  expect(before).toContain(oldSha.slice(0, 12));
  expect(before).toContain('CloudTrail activity of');

  w.gh.state.push(REPO, pr.number, undefined, {
    headFiles: { 'requests/octocat-logs.yaml': requestFile('octocat', '3h') },
  });
  const newSha = w.gh.state.pull(REPO, pr.number).headSha;
  // Every LookupEvents would answer after ten minutes: only the 1 s budget can end the check.
  w.aws.faults.inject({ action: 'LookupEvents', kind: 'latency', ms: 600_000, times: 100 });
  const seen: string[] = [];
  const { check: verdict } = await check(pr.number, newSha, 1, seen);

  // What a reader saw while the report was being read: the new verdict, the report pending.
  expect(seen).toHaveLength(1);
  expect(seen[0]).toContain(`Checked at commit \`${newSha.slice(0, 12)}\``);
  expect(seen[0]).not.toContain(oldSha.slice(0, 12));
  expect(seen[0]).toContain('`3h`');
  expect(seen[0]).toContain('being read (at most 1 s)');
  expect(seen[0]).not.toContain('CloudTrail activity of');

  expect(verdict.valid).toBe(true);
  const comments = sticky(pr.number);
  expect(comments).toHaveLength(1);
  const body = comments[0]!.body;
  expect(body).toContain(`Checked at commit \`${newSha.slice(0, 12)}\``);
  expect(body).toContain('report incomplete, cut by its 1 s budget');
  expect(body).toMatch(/`eu-west-1`, the requester's own calls: nothing yet/);
  expect(body).not.toContain('being read');
});

test('a report cut part-way names how far back each lookup read, and keeps its figures folded as partial', async () => {
  seedHistory(400);
  const pr = openRequest();
  // Each page takes 4 s: the 400 events' 8 pages in eu-west-1 cannot all come in 20 s, and the
  // first comes well inside it even on a loaded machine.
  w.aws.faults.inject({ action: 'LookupEvents', kind: 'latency', ms: 4_000, times: 1000 });
  await check(pr.number, pr.headSha, 20);
  const body = sticky(pr.number)[0]!.body;
  expect(body).toContain('cut by its 20 s budget');
  const line =
    /`eu-west-1`, the requester's own calls: back to `([^`]+)` only \((\d+) of 30 days\)/.exec(
      body,
    );
  expect(line).not.toBeNull();
  const days = Number(line![2]);
  expect(days).toBeGreaterThan(0);
  expect(days).toBeLessThan(30);
  // The partial figures are inside a block labelled incomplete, after the notice.
  const notice = body.indexOf('report incomplete, cut by its 20 s budget');
  const folded = body.indexOf(
    '<details><summary>Full CloudTrail report: partial figures (incomplete)</summary>',
  );
  expect(notice).toBeGreaterThan(-1);
  expect(folded).toBeGreaterThan(notice);
  expect(body.indexOf('CloudTrail activity of')).toBeGreaterThan(folded);
  expect(outsideCode(renderGfm(body))).not.toMatch(/<img|<script|<a /);
});

test('a report that finishes inside its budget is complete, with no cut notice', async () => {
  const pr = openRequest();
  await check(pr.number, pr.headSha, 240);
  const body = sticky(pr.number)[0]!.body;
  expect(body).toContain('CloudTrail activity of');
  expect(body).not.toMatch(/incomplete|being read/);
});

test('a run whose commit is no longer the head writes nothing: the newer push’s run owns the comment', async () => {
  const pr = openRequest();
  const oldSha = pr.headSha;
  w.gh.state.push(REPO, pr.number, undefined, {
    headFiles: { 'requests/octocat-logs.yaml': requestFile('octocat', '3h') },
  });
  const newSha = w.gh.state.pull(REPO, pr.number).headSha;
  await check(pr.number, newSha, 30);
  const current = sticky(pr.number)[0]!.body;
  // The older run, late: its verdict and report must not replace the newer one.
  await check(pr.number, oldSha, 30);
  expect(sticky(pr.number)).toHaveLength(1);
  expect(sticky(pr.number)[0]!.body).toBe(current);
});
