/**
 * The approval bypass matrix for the Identity Center backend, through the built grant action:
 * every hostile or mistaken PR is refused with its reason on the PR and in the decision log,
 * and Identity Center is left exactly as it was: no permission set is even created.
 */
import type { IdentityCenterWorld } from './identity-center-world.js';
import { identityCenterState, identityCenterWorld, runLive } from './identity-center-world.js';
import { GRANT, REPO, pushed, requestFile } from './world.js';

let w: IdentityCenterWorld;
beforeEach(async () => {
  w = await identityCenterWorld({ logins: ['octocat', 'mallory', 'eve'] });
});
afterEach(() => w.close());

interface Case {
  name: string;
  /** Opens, reviews and merges the PR; returns its number. */
  pr: (w: IdentityCenterWorld) => number;
  reason: RegExp;
}

const open = (author: string, files: Record<string, string | null>) =>
  w.gh.state.openPullRequest(REPO, { author, headFiles: files }).number;
const approve = (pr: number, user: string) =>
  w.gh.state.review(REPO, pr, { user, state: 'APPROVED' }).id;
const merge = (pr: number, by = 'sre-bob') => {
  w.aws.clock.advance(60_000);
  w.gh.state.merge(REPO, pr, { by });
  w.aws.clock.advance(30_000);
  return pr;
};
const ONE = { 'requests/octocat-logs.yaml': requestFile() };

const cases: Case[] = [
  {
    name: 'self-approval',
    pr: () => {
      const pr = open('octocat', ONE);
      approve(pr, 'octocat');
      return merge(pr);
    },
    reason: /not enough approvals.*octocat is the author/,
  },
  {
    name: 'an approval of an earlier commit (the request grew after it)',
    pr: () => {
      const pr = open('octocat', ONE);
      approve(pr, 'sre-bob');
      w.gh.state.push(REPO, pr, undefined, {
        headFiles: { 'requests/octocat-logs.yaml': requestFile('octocat', '4h') },
      });
      return merge(pr);
    },
    reason: /not enough approvals.*not the final commit/,
  },
  {
    name: 'approved only by a non-member of the approving team',
    pr: () => {
      const pr = open('octocat', ONE);
      approve(pr, 'mallory');
      return merge(pr);
    },
    reason: /not enough approvals/,
  },
  {
    name: 'an admin merge without any review',
    pr: () => merge(open('octocat', ONE), 'sre-carol'),
    reason: /not enough approvals: 0 of 1/,
  },
  {
    name: 'a dismissed approval',
    pr: () => {
      const pr = open('octocat', ONE);
      w.gh.state.dismissReview(approve(pr, 'sre-bob'));
      return merge(pr);
    },
    reason: /not enough approvals.*dismissed/,
  },
  {
    name: 'an approval followed by a request for changes',
    pr: () => {
      const pr = open('octocat', ONE);
      approve(pr, 'sre-bob');
      w.gh.state.review(REPO, pr, { user: 'sre-bob', state: 'CHANGES_REQUESTED' });
      return merge(pr);
    },
    reason: /not enough approvals/,
  },
  {
    name: 'a request for someone other than the PR author',
    pr: () => {
      const pr = open('mallory', { 'requests/for-octocat.yaml': requestFile('octocat') });
      approve(pr, 'sre-bob');
      return merge(pr);
    },
    reason: /opened by mallory/,
  },
  {
    name: 'the config edited alongside the request',
    pr: () => {
      const pr = open('octocat', { ...ONE, 'jit.config.yaml': 'version: 1\n' });
      approve(pr, 'sre-bob');
      return merge(pr);
    },
    reason: /jit\.config\.yaml/,
  },
  {
    name: 'two requests in one PR',
    pr: () => {
      const pr = open('octocat', {
        ...ONE,
        'requests/octocat-more.yaml': requestFile('octocat', '1h'),
      });
      approve(pr, 'sre-bob');
      return merge(pr);
    },
    reason: /one request/i,
  },
  {
    name: 'a requester the config does not name in identityCenter.users',
    pr: () => {
      const pr = open('sre-carol', { 'requests/carol.yaml': requestFile('sre-carol') });
      approve(pr, 'sre-bob');
      return merge(pr);
    },
    reason: /sre-carol/,
  },
];

test.each(cases)('$name: refused, no permission set created', async ({ pr: make, reason }) => {
  const pr = make(w);
  const result = await runLive(w, 'grant', pushed(), GRANT);
  // A refusal is a decision, not an outage: the step passes, and the PR is told why.
  expect(result.code).toBe(0);
  expect(JSON.parse(result.outputs.granted ?? '[]')).toEqual([]);
  expect(JSON.parse(result.outputs.delayed ?? '[]')).toEqual([]);
  const refused = JSON.parse(result.outputs.refused ?? '[]') as { pr: number; reason: string }[];
  expect(refused).toEqual([expect.objectContaining({ pr })]);
  expect(refused[0]!.reason).toMatch(reason);
  const comments = w.gh.state.comments.filter((c) => c.issueNumber === pr);
  expect(comments.at(-1)?.body).toContain('not granted');
  const log = [...w.gh.state.resolveRef(REPO, 'jit-log').files.keys()];
  expect(log.filter((p) => p.startsWith(`pr/${pr}/`))).toEqual([`pr/${pr}/0001-refused.json`]);

  // Identity Center untouched: not a permission set created, not an assignment, not a role.
  expect(identityCenterState(w)).toEqual({ sets: [], assignments: [], provisioned: [] });
  const writes = w.aws.state.cloudtrail.events.filter(
    (e) => e.eventSource === 'sso.amazonaws.com' && !/^(List|Describe|Get)/.test(e.eventName),
  );
  expect(writes).toEqual([]);

  // A later run does not reconsider it.
  const again = await runLive(w, 'grant', pushed(), GRANT);
  expect(JSON.parse(again.outputs.refused ?? '[]')).toEqual([]);
  expect(identityCenterState(w).sets).toEqual([]);
});

test('control: the same request, approved on its final commit by a team member, is granted', async () => {
  const pr = open('octocat', ONE);
  approve(pr, 'sre-bob');
  merge(pr);
  const result = await runLive(w, 'grant', pushed(), GRANT);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.outputs.granted ?? '[]')).toEqual([
    expect.objectContaining({ pr, request: 'octocat-logs' }),
  ]);
  expect(identityCenterState(w).assignments).toHaveLength(1);
});
