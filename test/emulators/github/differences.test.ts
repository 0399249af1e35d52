/**
 * One test per difference from GitHub that emulators/github/README.md lists without a test of
 * its own elsewhere, each asserting what the emulator does there today: a change to any of them
 * fails its test, and the README line that names the test must change with it.
 */
import { TREE_LIMIT } from '../../../emulators/github/routes/git.js';
import type { GitHubEmulator } from '../../../emulators/github/server.js';
import { REPO, T0, octokit, repo, statusOf, world } from './world.js';

let emu: GitHubEmulator;
let now = T0;
beforeEach(async () => {
  now = T0;
  emu = await world(() => now);
});
afterEach(() => emu.close());

const raw = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${emu.url}${path}`, {
    headers: {
      authorization: `token ${emu.tokens.create({ kind: 'user', login: 'octo-admin' })}`,
      ...headers,
    },
  });

it('GH-1 every error names the same documentation page', async () => {
  const res = await raw(`/repos/${REPO}/contents/missing.txt`);
  expect(res.status).toBe(404);
  // GitHub links the page of the endpoint that answered.
  expect(await res.json()).toEqual({
    message: 'Not Found',
    documentation_url: 'https://docs.github.com/rest',
    status: '404',
  });
});

it('GH-4 no secondary rate limit unless one is injected: 60 concurrent requests all succeed', async () => {
  const gh = octokit(emu);
  const statuses = await Promise.all(
    Array.from({ length: 60 }, () =>
      statusOf(gh.rest.issues.listComments({ ...repo, issue_number: 1 })),
    ),
  );
  expect(new Set(statuses)).toEqual(new Set(['ok']));
});

it('GH-5 a write is read back at once: no replication lag', async () => {
  const gh = octokit(emu);
  await gh.rest.issues.createComment({ ...repo, issue_number: 1, body: 'hello' });
  const { data } = await gh.rest.issues.listComments({ ...repo, issue_number: 1 });
  expect(data.map((c) => c.body)).toContain('hello');
});

it('GH-6 /users/{u}/installation and /orgs/{o}/installation are not served', async () => {
  expect((await raw('/users/acme/installation')).status).toBe(404);
  expect((await raw('/orgs/acme/installation')).status).toBe(404);
});

it('GH-7 no git smart-HTTP: a push can only be modelled through the REST API', async () => {
  expect((await raw(`/${REPO}.git/info/refs?service=git-receive-pack`)).status).toBe(404);
});

it('GH-8 no conditional requests: no ETag, and If-None-Match is answered in full', async () => {
  const res = await raw(`/repos/${REPO}`, { 'if-none-match': '"anything"' });
  expect(res.status).toBe(200);
  expect(res.headers.get('etag')).toBeNull();
});

it('GH-9 a recursive tree listing is cut at 100,000 entries (GitHub: also at 7 MB)', async () => {
  // A listing of 100,001 files takes ~30 s to build here: the limit itself is pinned, and a
  // small tree shows the listing is whole and says so.
  expect(TREE_LIMIT).toBe(100_000);
  const { data } = await octokit(emu).rest.git.getTree({
    ...repo,
    tree_sha: 'main',
    recursive: 'true',
  });
  expect(data.truncated).toBe(false);
  expect(data.tree.map((e) => e.path)).toContain('requests/README.md');
});

it('GH-10 the hand-written permission of the root contents listing: contents read', async () => {
  const without = octokit(emu, { kind: 'github-token', permissions: { issues: 'read' } });
  const withIt = octokit(emu, { kind: 'github-token', permissions: { contents: 'read' } });
  expect(await statusOf(without.rest.repos.getContent({ ...repo, path: '' }))).toBe(403);
  expect(await statusOf(withIt.rest.repos.getContent({ ...repo, path: '' }))).toBe('ok');
});
