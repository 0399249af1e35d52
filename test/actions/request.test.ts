import { mkdtemp, copyFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullRequestEvent } from '../../emulators/github/events.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.js';
import { renderGfm, outsideCode } from '../report/render.js';
import { runAction } from './runner.js';

const REPO = 'acme/access';
const repoRoot = process.cwd();

let emu: GitHubEmulator;
let workspace: string;
let token: string;

beforeAll(async () => {
  emu = await startGitHubEmulator({ clock: () => new Date() });
  const config = await readFile(join(repoRoot, 'jit.config.yaml'), 'utf8');
  emu.state.addRepo(REPO, { files: { 'jit.config.yaml': config } });
  // The base-branch checkout pull_request_target gives the action: config only, no PR code.
  workspace = await mkdtemp(join(tmpdir(), 'jit-workspace-'));
  await copyFile(join(repoRoot, 'jit.config.yaml'), join(workspace, 'jit.config.yaml'));
  token = emu.tokens.create({
    permissions: { contents: 'read', pull_requests: 'write', issues: 'write' },
  });
});
afterAll(() => emu.close());

async function open(author: string, files: Record<string, string | null>) {
  const pr = emu.state.openPullRequest(REPO, { author, headFiles: files });
  return { number: pr.number, ...(await runRequest(pr.number)) };
}

async function runRequest(number: number) {
  const run = await runAction('request', {
    event: pullRequestEvent(emu, REPO, number, 'opened'),
    eventName: 'pull_request_target',
    repository: REPO,
    apiUrl: emu.url,
    inputs: { 'github-token': token, config: 'jit.config.yaml' },
    workspace,
  });
  const comments = emu.state.comments.filter((c) => c.issueNumber === number);
  return { run, comments };
}

const profileRequest = (reason: string) =>
  `requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 2h\nreason: ${JSON.stringify(reason)}\nticket: INC-4211\n`;

test('a valid request gets one sticky comment with the policy, and valid=true', async () => {
  const { run, comments } = await open('octocat', {
    'requests/octocat-logs.yaml': profileRequest('Investigate INC-4211 failed nightly export'),
  });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.outputs.valid).toBe('true');
  expect(JSON.parse(run.outputs.requests!)).toEqual(['octocat-logs']);
  expect(comments).toHaveLength(1);
  expect(comments[0]!.body).toContain('<!-- jit-access:request -->');
  expect(comments[0]!.body).toContain('/jit/jit-octocat-logs');
  expect(comments[0]!.body).toContain('aws:CurrentTime');
  expect(run.summary).toContain('jit-octocat-logs');
});

test('re-running updates the same comment instead of adding one', async () => {
  const { run: first, number } = await open('octocat', {
    'requests/octocat-rerun.yaml': profileRequest('Investigate INC-4211 failed nightly export'),
  });
  expect(first.code).toBe(0);
  const { comments } = await runRequest(number);
  expect(comments).toHaveLength(1);
});

test('an invalid request fails the check, annotates the line and comments the errors', async () => {
  const { run, comments } = await open('octocat', {
    'requests/octocat-bad.yaml':
      'requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 2h\nreason: short\n',
  });
  expect(run.code).toBe(1);
  expect(run.outputs.valid).toBe('false');
  expect(run.stdout).toMatch(/^::error .*file=requests\/octocat-bad\.yaml,line=5,/m);
  expect(comments).toHaveLength(1);
  expect(comments[0]!.body).toContain('invalid');
});

test('a PR that also edits the config is refused up front', async () => {
  const { run, comments } = await open('octocat', {
    'requests/octocat-sneaky.yaml': profileRequest('Investigate INC-4211 failed nightly export'),
    'jit.config.yaml': 'version: 1\n',
  });
  expect(run.code).toBe(1);
  expect(comments[0]!.body).toContain('cannot lead to a grant');
});

test('hostile text in a request never becomes a mention, link, image or HTML in the comment', async () => {
  const reason =
    '@acme/admins please approve ![x](https://evil.example/p.png) <img src=x onerror=alert(1)> [click](https://evil.example) #1 `` ` `` | --- |';
  const { comments } = await open('octocat', {
    'requests/octocat-hostile.yaml': profileRequest(reason),
  });
  const html = outsideCode(renderGfm(comments[0]!.body ?? ''));
  expect(html).not.toMatch(/<img|<a |onerror|@acme|evil\.example/);
});

test('two requests in one PR are refused up front: one request per PR', async () => {
  const { run, comments } = await open('octocat', {
    'requests/octocat-one.yaml': profileRequest('Investigate INC-4211 failed nightly export'),
    'requests/octocat-two.yaml': profileRequest('Investigate INC-4211 failed nightly export'),
  });
  expect(run.code).toBe(1);
  expect(comments[0]!.body).toContain('open one PR per request');
});
