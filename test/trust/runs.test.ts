/**
 * Runs that must not drop or block work. On commit 9863078 an AWS outage became a final-looking
 * "refused" comment and a green step, a refusal for approvals turned into a grant once the
 * reviewer joined the team, and one oversized request file aborted the run for every PR.
 */
import {
  REPO,
  pushed,
  requestFile,
  run,
  world,
  type World,
  GRANT,
  jitPolicies,
} from '../e2e/world.js';
import { approvedAndMerged, recordsOf } from './helpers.js';

let w: World;
beforeEach(async () => {
  w = await world();
});
afterEach(() => w.close());

const grant = () => run(w, 'grant', pushed(), GRANT);
const out = (r: { outputs: Record<string, string> }, name: string) =>
  JSON.parse(r.outputs[name] ?? '[]') as { pr: number; code?: string; codes?: string[] }[];
const lastComment = (pr: number) =>
  w.gh.state.comments.filter((c) => c.issueNumber === pr).at(-1)?.body ?? '';

test('an AWS outage delays the grant, fails the step, tells the PR, and the next run grants', async () => {
  const pr = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-logs.yaml' });
  w.aws.faults.inject({ action: 'CreatePolicy', kind: '5xx', times: 20 });
  const first = await grant();
  expect(first.code).not.toBe(0);
  expect(out(first, 'refused')).toEqual([]);
  expect(out(first, 'delayed')).toEqual([expect.objectContaining({ pr, code: 'AWS_ERROR' })]);
  expect(lastComment(pr)).toContain('grant delayed');
  expect(recordsOf(w, pr)).toEqual([]);

  w.aws.faults.clear();
  const second = await grant();
  expect(second.code).toBe(0);
  expect(out(second, 'granted')).toEqual([expect.objectContaining({ pr })]);
  expect(recordsOf(w, pr)).toEqual(['granted']);
});

test('a request refused for its approvals stays refused when the reviewer later joins the team', async () => {
  const pr = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-logs.yaml',
    approvers: ['mallory'],
  });
  const first = await grant();
  expect(out(first, 'refused')).toEqual([
    expect.objectContaining({ pr, codes: ['APPROVALS_MISSING'] }),
  ]);
  w.gh.state.addTeamMember('acme/sre', 'mallory');
  const second = await grant();
  expect(out(second, 'granted')).toEqual([]);
  expect(await jitPolicies(w)).toHaveLength(0);
  expect(recordsOf(w, pr)).toEqual(['refused']);
});

test('an oversized request file is refused on its own PR and does not stop the others', async () => {
  const huge = `${requestFile()}# ${'x'.repeat(1024 * 1024 + 10)}\n`;
  const bad = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-huge.yaml',
    text: huge,
  });
  const good = approvedAndMerged(w, {
    author: 'mallory',
    file: 'requests/mallory-logs.yaml',
    text: requestFile('mallory'),
  });
  const result = await grant();
  expect(out(result, 'granted')).toEqual([expect.objectContaining({ pr: good })]);
  expect(out(result, 'refused')).toEqual([
    expect.objectContaining({ pr: bad, codes: ['REQUEST_FILE_UNREADABLE'] }),
  ]);
  expect(await jitPolicies(w)).toHaveLength(1);
});

test.each([
  ['a symlink', { type: 'symlink' as const, target: '../../etc/passwd' }],
  [
    'a submodule',
    { type: 'submodule' as const, url: 'https://github.com/evil/x.git', sha: 'a'.repeat(40) },
  ],
])('%s where a request file should be is refused on its own PR', async (_, entry) => {
  const bad = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-odd.yaml' });
  w.gh.state.markEntry(
    w.gh.state.pull(REPO, bad).mergeCommitSha!,
    'requests/octocat-odd.yaml',
    entry,
  );
  const good = approvedAndMerged(w, {
    author: 'mallory',
    file: 'requests/mallory-logs.yaml',
    text: requestFile('mallory'),
  });
  const result = await grant();
  expect(out(result, 'granted')).toEqual([expect.objectContaining({ pr: good })]);
  expect(out(result, 'refused')).toEqual([
    expect.objectContaining({ pr: bad, codes: ['REQUEST_FILE_UNREADABLE'] }),
  ]);
});

test('two grant runs back to back (a push and a dispatch) grant once and record once', async () => {
  // Two grant runs back to back (a push and a dispatch) grant once and record once.
  const pr = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-logs.yaml' });
  const [a, b] = [await grant(), await grant()];
  expect(out(a, 'granted').length + out(b, 'granted').length).toBe(1);
  expect(recordsOf(w, pr)).toEqual(['granted']);
  expect(w.gh.state.repo(REPO).branches.has('jit-log')).toBe(true);
});
