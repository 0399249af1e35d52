/**
 * The request check never leaves an older verdict standing. The built request action runs after
 * a new push while LookupEvents answers slower than the report's budget (the AWS emulator's
 * latency fault): the verdict on the new head commit is posted first, and the report is cut by
 * its budget and says so, well inside the job's time limit.
 */
import { pullRequestEvent } from '../../emulators/github/events.js';
import { REPO, T0, prOpened, requestFile, run, world, type World } from './world.js';

let w: World;
beforeAll(async () => {
  w = await world();
  w.aws.clock.runFrom(T0);
});
afterAll(() => w.close());

const REQUEST = { workflowPath: '.github/workflows/request.yml' };
const stickyOf = (number: number) =>
  w.gh.state.comments.filter(
    (c) => c.issueNumber === number && c.body.includes('jit-access:request'),
  );

test('a LookupEvents slower than the budget still leaves the new commit’s verdict, and says the report was cut', async () => {
  const pr = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-logs.yaml': requestFile() },
  });
  const first = await run(w, 'request', prOpened(w, pr.number), REQUEST);
  expect(first.code).toBe(0);
  const oldSha = pr.headSha;
  expect(stickyOf(pr.number)[0]?.body).toContain(oldSha.slice(0, 12));

  // A new push changes the duration; LookupEvents then stalls.
  w.gh.state.push(REPO, pr.number, undefined, {
    headFiles: { 'requests/octocat-logs.yaml': requestFile('octocat', '3h') },
  });
  const newSha = w.gh.state.pull(REPO, pr.number).headSha;
  // Far longer than any job limit below: only the budget can let the job finish by itself.
  w.aws.faults.inject({ action: 'LookupEvents', kind: 'latency', ms: 600_000, times: 50 });
  const second = await run(
    w,
    'request',
    {
      payload: pullRequestEvent(w.gh, REPO, pr.number, 'synchronize'),
      name: 'pull_request_target',
    },
    REQUEST,
    { inputs: { 'report-budget': '2' }, timeoutMs: 120_000 },
  );
  w.aws.faults.clear();

  const sticky = stickyOf(pr.number);
  expect(sticky).toHaveLength(1);
  const body = sticky[0]!.body;
  expect(body).toContain(`Checked at commit \`${newSha.slice(0, 12)}\``);
  expect(body).not.toContain(oldSha.slice(0, 12));
  expect(body).toContain('`3h`');
  expect(body).toContain('cut by its 2 s budget');
  // The job finished by itself, inside the runner's limit: the report did not hold it.
  expect(second.timedOut).toBe(false);
  expect(second.code).toBe(0);
});
