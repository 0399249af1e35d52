/**
 * A request file whose bytes are not UTF-8, pushed as a requester pushes (the contents API takes
 * the base64 of the raw bytes): the request check refuses it at its first bad byte, with offset,
 * line and column, and never shows a replacement character; merged anyway, it is refused by the
 * grant and nothing is granted.
 */
import { Octokit } from '@octokit/rest';
import { requestCheck } from '../../actions/request/src/check.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { CONFIG, GRANT, REPO, jitPolicies, pushed, run, world, type World } from './world.js';

const parsed = parseConfig(CONFIG, 'jit.config.yaml');
if (!parsed.ok) throw new Error('the world config must parse');
const config = parsed.value;

const FILE = 'requests/octocat-latin1.yaml';
const BRANCH = 'octocat-latin1';
// "café" saved as Latin-1: é is the single byte 0xE9, at offset 79 (line 5, column 12).
const BYTES = Buffer.concat([
  Buffer.from(
    'requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 2h\nreason: caf',
    'utf8',
  ),
  Buffer.from([0xe9]),
  Buffer.from(' export crashed during the nightly run\n', 'utf8'),
]);

let w: World;
beforeEach(async () => {
  w = await world();
});
afterEach(() => w.close());

/** The requester pushes the file to a branch through the contents API and opens a PR of it. */
async function openLatin1Request(): Promise<number> {
  w.gh.state.addBranch(REPO, BRANCH);
  const requester = new Octokit({
    baseUrl: w.gh.url,
    auth: w.gh.tokens.create({ kind: 'user', login: 'octocat' }),
  });
  const { data } = await requester.rest.repos.createOrUpdateFileContents({
    owner: 'acme',
    repo: 'access',
    path: FILE,
    branch: BRANCH,
    message: 'Request read access to the prod logs',
    content: BYTES.toString('base64'),
  });
  const pr = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headRef: BRANCH,
    headSha: data.commit.sha!,
    files: [{ filename: FILE, status: 'added' }],
  });
  return pr.number;
}

test('the bytes come back from the contents API as they were pushed', async () => {
  const number = await openLatin1Request();
  const reader = new Octokit({ baseUrl: w.gh.url, auth: w.token });
  const { data } = await reader.rest.repos.getContent({
    owner: 'acme',
    repo: 'access',
    path: FILE,
    ref: w.gh.state.pull(REPO, number).headSha,
  });
  if (Array.isArray(data) || !('content' in data)) throw new Error('expected a file');
  expect(Buffer.from(data.content, 'base64').equals(BYTES)).toBe(true);
  expect(data.size).toBe(BYTES.length);
});

test('the request check refuses it at the bad byte, and the grant refuses it: nothing granted', async () => {
  const number = await openLatin1Request();
  const { check, body } = await requestCheck({
    octokit: new Octokit({ baseUrl: w.gh.url, auth: w.token }),
    repo: { owner: 'acme', repo: 'access' },
    pullNumber: number,
    headSha: w.gh.state.pull(REPO, number).headSha,
    config,
    now: w.aws.clock.now(),
    commentAuthor: 'github-actions[bot]',
  });
  expect(check.valid).toBe(false);
  expect(check.outcomes).toEqual([
    {
      file: FILE,
      ok: false,
      problems: [
        expect.objectContaining({
          code: 'INVALID_UTF8',
          file: FILE,
          line: 5,
          column: 12,
          message: expect.stringContaining('byte 0xE9 at offset 79'),
        }),
      ],
    },
  ]);
  const sticky = w.gh.state.comments.filter((c) => c.issueNumber === number);
  expect(sticky).toHaveLength(1);
  for (const text of [body, sticky[0]!.body]) {
    expect(text).toContain('requests/octocat-latin1.yaml:5:12: error: byte 0xE9 at offset 79');
    expect(text).not.toContain('\ufffd');
  }

  // Approved and merged all the same (an admin merge past the failed check): refused.
  w.gh.state.review(REPO, number, { user: 'sre-bob', state: 'APPROVED' });
  w.aws.clock.advance(60_000);
  w.gh.state.merge(REPO, number, { by: 'sre-bob' });
  w.aws.clock.advance(30_000);
  const grant = await run(w, 'grant', pushed(), GRANT);
  expect(grant.code).toBe(0);
  expect(JSON.parse(grant.outputs.granted ?? '[]')).toEqual([]);
  const refused = JSON.parse(grant.outputs.refused ?? '[]') as { pr: number; reason: string }[];
  expect(refused.find((r) => r.pr === number)?.reason).toMatch(/byte 0xE9 at offset 79/);
  expect(await jitPolicies(w)).toEqual([]);
});
