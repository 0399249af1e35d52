/**
 * A grant run with nothing new to do costs GitHub calls that do not grow with the finished
 * requests in the lookback: the decision log answers "done" for each of them from one listing.
 * Before the log (commit 9863078) every finished PR cost two calls on every run.
 */
import {
  grantRun,
  mergeRequests,
  requestsFor,
  scaleWorld,
  type ScaleWorld,
} from '../../bench/harness.js';

let w: ScaleWorld;
beforeAll(async () => {
  w = await scaleWorld({ users: 10 });
});
afterAll(() => w.close());

/** Ordinary merged PRs (a README edit): never requests, but in the lookback all the same. */
function ordinaryMerges(count: number) {
  for (let i = 0; i < count; i++) {
    const pr = w.gh.state.openPullRequest('acme/access', {
      author: 'sre-bob',
      headFiles: { [`docs/note-${i}.md`]: `note ${i}\n` },
    });
    w.gh.state.merge('acme/access', pr.number, { by: 'sre-bob' });
  }
}

async function idleRunCalls(): Promise<number> {
  const before = w.githubCalls();
  const { decisions } = await grantRun(w);
  expect(decisions).toEqual([]);
  return w.githubCalls() - before;
}

test('an idle grant run costs the same GitHub calls for 10 and for 50 finished PRs', async () => {
  mergeRequests(w, requestsFor(w, 5, 1, 'a'));
  ordinaryMerges(5);
  expect((await grantRun(w)).decisions).toHaveLength(5);
  const small = await idleRunCalls();

  mergeRequests(w, requestsFor(w, 20, 3, 'b'));
  ordinaryMerges(20);
  expect((await grantRun(w)).decisions).toHaveLength(20);
  const large = await idleRunCalls();

  // The branch rules, one tree listing of the log, one page of merged PRs.
  expect(small).toBe(3);
  expect(large).toBe(small);
});
