/**
 * A profile that names no approvers means "any code owner": the owners CODEOWNERS gives the
 * request file on the default branch, not anyone who can push. With no such owner, nothing can
 * be approved and nothing is granted.
 */
import {
  CONFIG,
  GRANT,
  REPO,
  jitPolicies,
  pushed,
  requestFile,
  run,
  world,
  type World,
} from './world.js';

const ANY_OWNER = CONFIG.replace('    approvers: [acme/sre]\n', '');

let w: World | undefined;
afterEach(() => w?.close());

async function mergedWithApproval(approver: string) {
  const pr = w!.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-owners.yaml': requestFile() },
  });
  w!.gh.state.review(REPO, pr.number, { user: approver, state: 'APPROVED' });
  w!.aws.clock.advance(60_000);
  w!.gh.state.merge(REPO, pr.number, { by: approver });
  w!.aws.clock.advance(30_000);
  const result = await run(w!, 'grant', pushed(), GRANT);
  return {
    granted: JSON.parse(result.outputs.granted ?? '[]') as unknown[],
    refused: JSON.parse(result.outputs.refused ?? '[]') as { reason: string }[],
  };
}

test('the config names no approvers: a code owner of requests/ approves, and it is granted', async () => {
  expect(ANY_OWNER).not.toContain('approvers: [acme/sre]');
  w = await world({
    config: ANY_OWNER,
    files: { '.github/CODEOWNERS': '* @acme/platform\n/requests/ @acme/sre\n' },
  });
  const { granted } = await mergedWithApproval('sre-bob');
  expect(granted).toHaveLength(1);
});

test('an approver with write access who is not a code owner does not count', async () => {
  w = await world({ config: ANY_OWNER, files: { '.github/CODEOWNERS': '/requests/ @acme/sre\n' } });
  w.gh.state.setCollaborator(REPO, 'mallory', 'write');
  const { granted, refused } = await mergedWithApproval('mallory');
  expect(granted).toEqual([]);
  expect(refused[0]?.reason).toMatch(/not enough approvals/);
  expect(await jitPolicies(w)).toEqual([]);
});

test('no approvers in the config and no CODEOWNERS: nobody can approve, nothing is granted', async () => {
  w = await world({ config: ANY_OWNER });
  const { granted, refused } = await mergedWithApproval('sre-bob');
  expect(granted).toEqual([]);
  expect(refused[0]?.reason).toMatch(/CODEOWNERS names none/);
});
