/**
 * The request check asks a valid request's approvers for review (decision 031) with the review
 * App's token, against the GitHub emulator's requested_reviewers endpoint and its refusals, and
 * tells a webhook the request was opened: neither can fail the check, and a person's own review
 * requests are left as they are.
 */
import { Octokit } from '@octokit/rest';
import { requestCheck } from '../../actions/request/src/check.js';
import type { Installation } from '../../emulators/github/apps.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.js';
import { renderReviewRequests } from '../../src/github/review-requests.js';
import { webhookNotifier } from '../../src/notify/webhook.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { CONFIG, REPO, T0, requestFile } from '../e2e/world.js';
import { startReceiver, type Receiver } from '../notify/receiver.js';

const parsed = parseConfig(
  CONFIG.replace('approvers: [acme/sre]', 'approvers: [acme/sre, dana, octocat]'),
  'jit.config.yaml',
);
if (!parsed.ok) throw new Error('the test config must parse');
const config = parsed.value;
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let gh: GitHubEmulator;
let reviewApp: Installation;
beforeEach(async () => {
  gh = await startGitHubEmulator({ clock: () => T0 });
  gh.state.addRepo(REPO, { files: { 'jit.config.yaml': 'version: 1\n' } });
  gh.state.addTeamMember('acme/sre', 'sre-bob');
  gh.state.addTeamRepo('acme/sre', REPO, 'write');
  gh.state.setCollaborator(REPO, 'dana', 'write');
  gh.state.setCollaborator(REPO, 'erin', 'write');
  reviewApp = gh.apps.install(gh.apps.register('jit-access-review'), {
    account: 'acme',
    repositories: [REPO],
    permissions: { pull_requests: 'write', members: 'read' },
  });
});
afterEach(() => gh.close());

const client = (auth: string) => new Octokit({ baseUrl: gh.url, auth, log: quiet });
const githubToken = () =>
  gh.tokens.create({
    kind: 'github-token',
    permissions: { contents: 'read', pull_requests: 'write' },
  });

function open(text = requestFile('octocat')) {
  return gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-logs.yaml': text },
  });
}

function check(number: number, extra: Partial<Parameters<typeof requestCheck>[0]> = {}) {
  return requestCheck({
    octokit: client(githubToken()),
    repo: { owner: 'acme', repo: 'access' },
    pullNumber: number,
    headSha: gh.state.pull(REPO, number).headSha,
    config,
    now: T0,
    commentAuthor: 'github-actions[bot]',
    reviewOctokit: client(gh.apps.mint(reviewApp).token),
    ...extra,
  });
}

describe('review requests', () => {
  it("asks the profile's team and people, never the requester, and leaves a person's request alone", async () => {
    const pr = open();
    // A colleague asked erin by hand before the check ran.
    gh.state.pull(REPO, pr.number).requestedReviewers.push('erin');
    const { check: verdict, reviews } = await check(pr.number);
    expect(verdict.valid).toBe(true);
    expect(reviews).toEqual({ requested: ['acme/sre', 'dana'], skipped: [], failed: [] });
    expect(gh.state.pull(REPO, pr.number)).toMatchObject({
      requestedReviewers: ['erin', 'dana'],
      requestedTeams: ['acme/sre'],
    });
  });

  it('asks nobody twice on a re-run, nor someone who reviewed this head; asks again after a push', async () => {
    const pr = open();
    await check(pr.number);
    gh.state.review(REPO, pr.number, { user: 'dana', state: 'COMMENTED' });
    const again = await check(pr.number);
    expect(again.reviews).toEqual({ requested: [], skipped: ['acme/sre', 'dana'], failed: [] });
    gh.state.push(REPO, pr.number, undefined, {
      headFiles: { 'requests/octocat-logs.yaml': requestFile('octocat', '3h') },
    });
    const pushed = await check(pr.number);
    expect(pushed.reviews).toEqual({ requested: ['dana'], skipped: ['acme/sre'], failed: [] });
  });

  it('reports a refusal beside a passing verdict: a GITHUB_TOKEN cannot ask a team', async () => {
    const pr = open();
    const { check: verdict, reviews } = await check(pr.number, {
      reviewOctokit: client(githubToken()),
    });
    expect(verdict.valid).toBe(true);
    expect(reviews?.requested).toEqual(['dana']);
    expect(reviews?.failed).toEqual([
      {
        reviewer: 'acme/sre',
        message: expect.stringMatching(/^Validation Failed Could not resolve to a node/),
      },
    ]);
    const summary = renderReviewRequests(reviews!);
    expect(summary).toContain('Not asked: `acme/sre`');
    expect(summary).toContain('jit-access-review App');
  });

  it('reports a team not added to the repository, and still asks the others', async () => {
    gh.state.team('acme/sre').repos.clear();
    const pr = open();
    const { reviews } = await check(pr.number);
    expect(reviews?.requested).toEqual(['dana']);
    expect(reviews?.failed[0]).toMatchObject({
      reviewer: 'acme/sre',
      message: expect.stringContaining('Reviews may only be requested from collaborators'),
    });
  });

  it('asks nobody for an invalid request', async () => {
    const pr = open(requestFile('octocat', '99h'));
    const { check: verdict, reviews } = await check(pr.number);
    expect(verdict.valid).toBe(false);
    expect(reviews).toBeUndefined();
    expect(gh.state.pull(REPO, pr.number).requestedTeams).toEqual([]);
  });
});

describe("the 'opened' notification", () => {
  let receiver: Receiver;
  afterEach(() => receiver.close());

  const notifier = (timeoutMs: number, warnings: string[]) =>
    webhookNotifier({
      url: new URL(receiver.url),
      format: 'json',
      repository: REPO,
      serverUrl: 'https://github.com',
      timeoutMs,
      warn: (m) => warnings.push(m),
    });

  it('tells the webhook what was asked and who must approve', async () => {
    receiver = await startReceiver();
    const pr = open();
    await check(pr.number, { announceOpened: notifier(2000, []) });
    expect(receiver.requests.map((r) => r.body)).toEqual([
      expect.objectContaining({
        event: 'opened',
        pr: pr.number,
        requestId: 'octocat-logs',
        requester: 'octocat',
        account: 'prod',
        reason: 'Investigate the failed nightly export from INC-4211.',
        detail: 'waits for 1 approval of acme/sre, dana, octocat',
      }),
    ]);
  });

  it("keeps a hostile reason to Slack's plain text, escaped", async () => {
    receiver = await startReceiver();
    const hostile = 'Deploy <!channel> *bold* <http://evil|click> & <@U123> fix INC-4211';
    const text = requestFile('octocat').replace(/reason: .*/, `reason: "${hostile}"`);
    const pr = open(text);
    const slack = webhookNotifier({
      url: new URL(receiver.url),
      format: 'slack',
      repository: REPO,
      serverUrl: 'https://github.com',
      timeoutMs: 2000,
      warn: () => {},
    });
    await check(pr.number, { announceOpened: slack });
    const sent = JSON.stringify(receiver.requests[0]?.body);
    expect(sent).not.toContain('<!channel>');
    expect(sent).not.toContain('<http://evil|click>');
    expect(sent).toContain('&lt;!channel&gt;');
  });

  it('is not sent unless asked to (a push is not an opening)', async () => {
    receiver = await startReceiver();
    await check(open().number);
    expect(receiver.requests).toEqual([]);
  });

  it('never fails or holds the check when the webhook hangs', async () => {
    receiver = await startReceiver('hang');
    const warnings: string[] = [];
    const pr = open();
    const { check: verdict } = await check(pr.number, { announceOpened: notifier(100, warnings) });
    expect(verdict.valid).toBe(true);
    expect(warnings.join('\n')).toMatch(/no answer within 100 ms/);
    expect(gh.state.comments.filter((c) => c.issueNumber === pr.number)).toHaveLength(1);
  });
});
