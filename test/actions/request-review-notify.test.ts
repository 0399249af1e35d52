/**
 * The request action as its workflow runs it (the built bundle, inputs as the runner passes
 * them): the review App's token asks the approvers, the webhook hears of the PR's opening but
 * not of a push, and a webhook or review request that fails leaves the verdict as it was.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullRequestEvent } from '../../emulators/github/events.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.js';
import { startReceiver, type Receiver } from '../notify/receiver.js';
import { CONFIG, REPO, requestFile } from '../e2e/world.js';
import { runAction } from './runner.js';

let gh: GitHubEmulator;
let receiver: Receiver;
let workspace: string;
beforeAll(async () => {
  gh = await startGitHubEmulator({ clock: () => new Date() });
  gh.state.addRepo(REPO, { files: { 'jit.config.yaml': CONFIG } });
  gh.state.addTeamMember('acme/sre', 'sre-bob');
  gh.state.addTeamRepo('acme/sre', REPO, 'write');
  workspace = await mkdtemp(join(tmpdir(), 'jit-review-'));
  await writeFile(join(workspace, 'jit.config.yaml'), CONFIG);
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await gh.close();
});

const reviewApp = () =>
  gh.apps.install(gh.apps.register(`jit-access-review-${gh.state.nextId()}`), {
    account: 'acme',
    repositories: [REPO],
    permissions: { pull_requests: 'write', members: 'read' },
  });

function run(number: number, action: 'opened' | 'synchronize', inputs: Record<string, string>) {
  return runAction('request', {
    event: pullRequestEvent(gh, REPO, number, action),
    eventName: 'pull_request_target',
    repository: REPO,
    apiUrl: gh.url,
    inputs: {
      'github-token': gh.tokens.create({
        kind: 'github-token',
        permissions: { contents: 'read', pull_requests: 'write' },
      }),
      config: 'jit.config.yaml',
      'notify-webhook-url': receiver.url,
      'notify-format': 'json',
      ...inputs,
    },
    workspace,
  });
}

test("an opening asks the profile's team and is announced once; a push is not announced", async () => {
  const pr = gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-logs.yaml': requestFile() },
  });
  const opened = await run(pr.number, 'opened', {
    'review-token': gh.apps.mint(reviewApp()).token,
  });
  expect(opened.outputs.valid).toBe('true');
  expect(gh.state.pull(REPO, pr.number).requestedTeams).toEqual(['acme/sre']);
  expect(opened.summary).toContain('Asked for review: `acme/sre`');
  expect(receiver.requests.map((r) => (r.body as { event: string; pr: number }).event)).toEqual([
    'opened',
  ]);

  gh.state.push(REPO, pr.number, undefined, {
    headFiles: { 'requests/octocat-logs.yaml': requestFile('octocat', '3h') },
  });
  const pushed = await run(pr.number, 'synchronize', {});
  expect(pushed.outputs.valid).toBe('true');
  expect(pushed.stdout).toContain('review-token is empty');
  expect(receiver.requests).toHaveLength(1);
});

test('a review request GitHub refuses is a warning, and the check still passes', async () => {
  const pr = gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-more.yaml': requestFile() },
  });
  // A GITHUB_TOKEN passed as the review token: GitHub cannot resolve the team for it.
  const token = gh.tokens.create({ kind: 'github-token', permissions: { pull_requests: 'write' } });
  const result = await run(pr.number, 'synchronize', { 'review-token': token });
  expect(result.code).toBe(0);
  expect(result.outputs.valid).toBe('true');
  expect(result.stdout).toMatch(
    /::warning::acme\/sre was not asked for review: .*Could not resolve/,
  );
  expect(result.summary).toContain('jit-access-review App');
});
