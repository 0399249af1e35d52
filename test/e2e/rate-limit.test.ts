/**
 * GitHub's primary rate limit met in the middle of a grant run is an outage, not a verdict: the
 * run fails and says why, the PR is delayed (no refusal, nothing granted, nothing recorded as
 * decided), and the first run after `x-ratelimit-reset` grants it.
 */
import { PRIMARY_LIMITS } from '../../emulators/github/http/rate-limits.js';
import {
  GRANT,
  REPO,
  T0,
  jitPolicies,
  pushed,
  requestFile,
  run,
  world,
  type World,
} from './world.js';

let w: World;
beforeEach(async () => {
  w = await world();
});
afterEach(() => w.close());

test('a grant run that spends the installation’s rate limit delays the PR; the next window grants it', async () => {
  const pr = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-logs.yaml': requestFile() },
  });
  w.gh.state.review(REPO, pr.number, { user: 'sre-bob', state: 'APPROVED' });
  w.aws.clock.advance(60_000);
  w.gh.state.merge(REPO, pr.number, { by: 'sre-bob' });
  w.aws.clock.advance(30_000);
  const runStart = w.aws.clock.now();

  // The App's budget, as if the hour's 5,000 were nearly spent elsewhere, runs out once the run
  // has listed the PR and started judging it (a whole run costs about fifteen requests). Every
  // token minted from the installation shares it.
  w.gh.rateLimits.settings.limits.installation = 5;
  const limited = await run(w, 'grant', pushed(), GRANT);
  expect(limited.code).toBe(1);
  expect(limited.stdout).toMatch(/GitHub rate limit on .*giving up after 0 retries/);
  expect(JSON.parse(limited.outputs.refused ?? 'null')).toEqual([]);
  expect(JSON.parse(limited.outputs.granted ?? 'null')).toEqual([]);
  expect(JSON.parse(limited.outputs.delayed ?? 'null')).toEqual([
    expect.objectContaining({
      pr: pr.number,
      code: 'GITHUB_ERROR',
      error: expect.stringMatching(/API rate limit exceeded/),
    }),
  ]);
  expect(limited.stdout).toContain('::error::1 request(s) could not be decided');
  expect(await jitPolicies(w)).toEqual([]);
  const comments = () => w.gh.state.comments.filter((c) => c.issueNumber === pr.number);
  expect(comments().some((c) => c.body.includes('not granted'))).toBe(false);

  // An hour after the window opened (x-ratelimit-reset), the budget is GitHub's whole 5,000.
  w.gh.rateLimits.settings.limits.installation = PRIMARY_LIMITS.installation;
  w.aws.clock.set(new Date(runStart.getTime() + 3600_000));
  const granted = await run(w, 'grant', pushed(), GRANT);
  expect(granted.stdout).not.toContain('::error');
  expect(granted.code).toBe(0);
  expect(JSON.parse(granted.outputs.granted ?? '[]')).toEqual([
    expect.objectContaining({
      pr: pr.number,
      expiry: new Date(T0.getTime() + 60_000 + 2 * 3600_000).toISOString(),
    }),
  ]);
  expect(await jitPolicies(w)).toHaveLength(1);
  expect(comments().some((c) => c.body.includes('granted'))).toBe(true);
});
