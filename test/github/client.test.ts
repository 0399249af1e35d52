/**
 * The REST client every action and the CLI build: GitHub's 5xx and rate limits in the middle of
 * a run are retried a bounded number of times and reported; through the emulator over HTTP.
 */
import { createGitHubClient, type GitHubClient } from '../../src/github/client.js';
import { fetchPrFacts } from '../../src/github/pr-facts.js';
import { upsertStickyComment } from '../../src/github/sticky-comment.js';
import { TeamMemberships } from '../../src/github/teams.js';
import type { GitHubEmulator } from '../../emulators/github/server.js';
import { REPO, repo, world } from '../emulators/github/world.js';

let emu: GitHubEmulator;
let warnings: string[];
beforeEach(async () => {
  emu = await world(() => new Date());
  warnings = [];
});
afterEach(() => emu.close());

function client(opts: { rateLimit?: number } = {}): GitHubClient {
  return createGitHubClient({
    auth: emu.tokens.create({
      kind: 'installation',
      app: 'jit-access',
      permissions: { pull_requests: 'write', contents: 'read', members: 'read' },
      rateLimit: opts.rateLimit,
    }),
    baseUrl: emu.url,
    log: { debug: () => {}, info: () => {}, warn: (m) => warnings.push(m), error: () => {} },
    testTiming: { msPerSecond: 1 },
  });
}

/** What a grant run does for one PR: read it, check an approver's team, comment. */
async function grantLikeRun(octokit: GitHubClient): Promise<void> {
  const facts = await fetchPrFacts(octokit, repo, 1);
  expect(facts.author).toBe('alice');
  expect(await new TeamMemberships(octokit).isActiveMember('acme/platform', 'bob')).toBe(true);
  await upsertStickyComment(
    octokit,
    { ...repo, issueNumber: 1, author: 'jit-access[bot]' },
    'grant',
    'granted',
  );
}

test('one 502 and one secondary rate limit in the middle of a run do not abort it', async () => {
  emu.faults.next(1, { kind: 'server-error', status: 502 }, { after: 2 });
  emu.faults.next(1, { kind: 'secondary-rate-limit', retryAfterSeconds: 30 }, { after: 4 });
  await grantLikeRun(client());
  expect(emu.faults.pending).toBe(0);
  expect(emu.state.comments.map((c) => c.user)).toEqual(['jit-access[bot]']);
  expect(warnings).toEqual([
    expect.stringMatching(/^GitHub answered 502 to GET .*: retrying \(retry 1 of 3\)$/),
    expect.stringMatching(/^GitHub secondary rate limit on .*: retrying in 30s \(retry 1 of 3\)$/),
  ]);
});

test('a persistent 5xx still fails, after a bounded number of retries', async () => {
  emu.faults.next(10, { kind: 'server-error', status: 503 });
  await expect(client().rest.repos.get(repo)).rejects.toMatchObject({ status: 503 });
  expect(10 - emu.faults.pending).toBe(4); // the request and 3 retries
  expect(warnings.at(-1)).toMatch(/giving up$/);
});

test('a primary rate limit whose reset is too far away fails at once, and says so', async () => {
  const octokit = client({ rateLimit: 1 });
  await octokit.rest.repos.get(repo);
  await expect(octokit.rest.repos.get(repo)).rejects.toMatchObject({ status: 403 });
  expect(warnings).toEqual([
    expect.stringMatching(
      /^GitHub rate limit on GET .*: giving up after 0 retries \(asks to wait \d+s\)$/,
    ),
  ]);
});

test('a primary rate limit answered 429, as GitHub may, is reported and failed as a 403 is', async () => {
  emu.rateLimits.settings.status = 429;
  const octokit = client({ rateLimit: 1 });
  await octokit.rest.repos.get(repo);
  await expect(octokit.rest.repos.get(repo)).rejects.toMatchObject({ status: 429 });
  expect(warnings).toEqual([
    expect.stringMatching(
      /^GitHub rate limit on GET .*: giving up after 0 retries \(asks to wait \d+s\)$/,
    ),
  ]);
});

test('without the client, the same 502 aborts the run', async () => {
  emu.faults.next(1, { kind: 'server-error', status: 502 }, { after: 2 });
  const { Octokit } = await import('@octokit/rest');
  const plain = new Octokit({
    baseUrl: emu.url,
    auth: emu.tokens.create({
      kind: 'installation',
      app: 'jit-access',
      permissions: { pull_requests: 'write', contents: 'read', members: 'read' },
    }),
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  await expect(grantLikeRun(plain as GitHubClient)).rejects.toMatchObject({ status: 502 });
  expect(emu.state.comments.filter((c) => c.repo === REPO)).toEqual([]);
});
