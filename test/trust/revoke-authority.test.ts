/**
 * Who may end a grant with `/revoke`, and which grant it ends. Each of these failed on commit
 * 9863078: any approving review counted (even one that did not count for the grant), a `/revoke`
 * ended every policy with the same request id, and a `/revoke` whose run was cancelled was lost.
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
import { approvedAndMerged, commentRevoke, recordsOf, sweep } from './helpers.js';

let w: World;
beforeEach(async () => {
  w = await world();
});
afterEach(() => w.close());

const grant = () => run(w, 'grant', pushed(), GRANT);
const lastComment = (pr: number) =>
  w.gh.state.comments.filter((c) => c.issueNumber === pr).at(-1)?.body ?? '';

test('an approving review that did not count gives no authority to revoke', async () => {
  // mallory approved too, but is not in acme/sre: her review never counted for the grant.
  const pr = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-logs.yaml',
    approvers: ['sre-bob', 'mallory'],
  });
  expect((await grant()).code).toBe(0);
  expect(await jitPolicies(w)).toHaveLength(1);
  const { result } = await commentRevoke(w, pr, 'mallory');
  expect(result.code).toBe(0);
  expect(await jitPolicies(w)).toHaveLength(1);
  expect(lastComment(pr)).toContain('Nothing was revoked');
  expect(recordsOf(w, pr)).toEqual(['granted', 'revoke-refused']);
});

test('someone who may approve the profile may revoke, even without having reviewed this PR', async () => {
  const pr = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-logs.yaml' });
  expect((await grant()).code).toBe(0);
  // sre-carol is in acme/sre, the profile's approvers, and did not review.
  await commentRevoke(w, pr, 'sre-carol');
  expect(await jitPolicies(w)).toHaveLength(0);
  expect(recordsOf(w, pr)).toEqual(['granted', 'revoked', 'removed']);
});

test("a /revoke on an older PR with the same request id does not end another person's grant", async () => {
  // mallory's PR adds requests/shared-access.yaml; it is merged without approval and refused.
  const old = approvedAndMerged(w, {
    author: 'mallory',
    file: 'requests/shared-access.yaml',
    text: requestFile('mallory'),
    approvers: [],
  });
  expect(JSON.parse((await grant()).outputs.refused ?? '[]')).toHaveLength(1);
  // The file is removed, and octocat later requests under the same name, approved and granted.
  const cleanup = w.gh.state.openPullRequest(REPO, {
    author: 'sre-bob',
    headFiles: { 'requests/shared-access.yaml': null },
  });
  w.gh.state.merge(REPO, cleanup.number, { by: 'sre-bob' });
  const pr = approvedAndMerged(w, { author: 'octocat', file: 'requests/shared-access.yaml' });
  expect(JSON.parse((await grant()).outputs.granted ?? '[]')).toHaveLength(1);

  // mallory, the author of the older PR, comments /revoke there.
  await commentRevoke(w, old, 'mallory');
  expect(await jitPolicies(w)).toHaveLength(1);
  expect(recordsOf(w, pr)).toEqual(['granted']);
});

test('a /revoke whose own run never ran (cancelled by the concurrency group) is found by the next sweep', async () => {
  const pr = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-logs.yaml' });
  expect((await grant()).code).toBe(0);
  // The comment is made; the run it triggered was cancelled, so only a scheduled sweep runs.
  w.gh.state.comment(REPO, pr, { user: 'octocat', body: '/revoke' });
  const swept = await sweep(w);
  expect(swept.code).toBe(0);
  expect(await jitPolicies(w)).toHaveLength(0);
  expect(recordsOf(w, pr)).toEqual(['granted', 'revoked', 'removed']);
  // Answered once: a further sweep does nothing more.
  await sweep(w);
  expect(recordsOf(w, pr)).toEqual(['granted', 'revoked', 'removed']);
});

test("an edited comment does not put /revoke in an approver's mouth", async () => {
  w.gh.state.setCollaborator(REPO, 'mallory', 'write');
  const pr = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-logs.yaml' });
  const said = w.gh.state.comment(REPO, pr, { user: 'sre-bob', body: 'LGTM, enjoy' });
  expect((await grant()).code).toBe(0);
  w.aws.clock.advance(60_000);
  // mallory (write access) edits sre-bob's comment: GitHub allows it, the author stays sre-bob.
  w.gh.state.editComment(said.id, '/revoke');
  await sweep(w);
  expect(await jitPolicies(w)).toHaveLength(1);
  expect(recordsOf(w, pr)).toEqual(['granted', 'revoke-refused']);
});
