/**
 * Hostile and mistaken paths through the built grant and revoke actions: each is refused with a
 * reason on the PR, and IAM is left exactly as it was.
 */
import { issueCommentEvent } from '../../emulators/github/events.js';
import {
  OCTOCAT_ARN,
  REPO,
  pushed,
  requestFile,
  run,
  scheduled,
  world,
  type World,
  GRANT,
  REVOKE,
  jitPolicies,
} from './world.js';

let w: World;
beforeEach(async () => {
  w = await world();
});
afterEach(() => w.close());

const lastComment = (pr: number) =>
  w.gh.state.comments.filter((c) => c.issueNumber === pr).at(-1)?.body ?? '';

function mergedRequest(opts: {
  author: string;
  files: Record<string, string | null>;
  approvers?: string[];
  mergedBy?: string;
}) {
  const pr = w.gh.state.openPullRequest(REPO, { author: opts.author, headFiles: opts.files });
  for (const user of opts.approvers ?? [])
    w.gh.state.review(REPO, pr.number, { user, state: 'APPROVED' });
  w.aws.clock.advance(60_000);
  w.gh.state.merge(REPO, pr.number, { by: opts.mergedBy ?? 'sre-bob' });
  w.aws.clock.advance(30_000);
  return pr.number;
}

async function grantRefuses(pr: number, reason: RegExp) {
  const result = await run(w, 'grant', pushed(), GRANT);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.outputs.granted ?? '[]')).toEqual([]);
  const refused = JSON.parse(result.outputs.refused ?? '[]') as { pr: number; reason: string }[];
  expect(refused.find((r) => r.pr === pr)?.reason).toMatch(reason);
  expect(lastComment(pr)).toContain('not granted');
  expect(await jitPolicies(w)).toEqual([]);
}

test('merged without an approval (an admin merge): refused', async () => {
  const pr = mergedRequest({
    author: 'octocat',
    files: { 'requests/octocat-noreview.yaml': requestFile() },
  });
  await grantRefuses(pr, /not enough approvals/);
});

test('approved only by someone outside the required team: refused', async () => {
  const pr = mergedRequest({
    author: 'octocat',
    files: { 'requests/octocat-wrongteam.yaml': requestFile() },
    approvers: ['mallory'],
  });
  await grantRefuses(pr, /not enough approvals/);
});

test('a request for someone else than the PR author: refused', async () => {
  const pr = mergedRequest({
    author: 'mallory',
    files: { 'requests/for-octocat.yaml': requestFile('octocat') },
    approvers: ['sre-bob'],
  });
  await grantRefuses(pr, /opened by mallory/);
});

test('a request PR that also edits the config: refused, even when approved', async () => {
  const pr = mergedRequest({
    author: 'octocat',
    files: {
      'requests/octocat-sneaky.yaml': requestFile(),
      'jit.config.yaml': 'version: 1\n',
    },
    approvers: ['sre-bob'],
  });
  await grantRefuses(pr, /jit\.config\.yaml/);
});

test('/revoke from a stranger is refused politely; from the requester it ends the grant now', async () => {
  const pr = mergedRequest({
    author: 'octocat',
    files: { 'requests/octocat-early.yaml': requestFile() },
    approvers: ['sre-bob'],
  });
  const granted = await run(w, 'grant', pushed(), GRANT);
  expect(JSON.parse(granted.outputs.granted ?? '[]')).toHaveLength(1);
  const allowed = () =>
    w.aws.authorize({
      principalArn: OCTOCAT_ARN,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::acme-prod-logs/a',
    });
  expect(allowed()).toBe('allowed');

  const stranger = w.gh.state.comment(REPO, pr, { user: 'mallory', body: '/revoke' });
  const refused = await run(
    w,
    'revoke',
    { payload: issueCommentEvent(w.gh, stranger.id), name: 'issue_comment' },
    REVOKE,
  );
  expect(refused.code).toBe(0);
  expect(JSON.parse(refused.outputs.revoked ?? '[]')).toEqual([]);
  expect(lastComment(pr)).toMatch(/only the requester/);
  expect(allowed()).toBe('allowed');

  const own = w.gh.state.comment(REPO, pr, { user: 'octocat', body: '/revoke' });
  const revoked = await run(
    w,
    'revoke',
    { payload: issueCommentEvent(w.gh, own.id), name: 'issue_comment' },
    REVOKE,
  );
  expect(JSON.parse(revoked.outputs.revoked ?? '[]')).toEqual([
    expect.objectContaining({ request: 'octocat-early', reason: 'early' }),
  ]);
  expect(await jitPolicies(w)).toEqual([]);
  expect(allowed()).toBe('denied');

  // Still inside the approved window, the next grant run must not hand it back.
  const regrant = await run(w, 'grant', pushed(), GRANT);
  expect(JSON.parse(regrant.outputs.granted ?? '[]')).toEqual([]);
  expect(await jitPolicies(w)).toEqual([]);
  // And the scheduled sweep has nothing left to do.
  const sweep = await run(w, 'revoke', scheduled(w), REVOKE);
  expect(JSON.parse(sweep.outputs.revoked ?? '[]')).toEqual([]);
});
