import type { Octokit } from '@octokit/rest';
import type { GitHubEmulator } from '../../../emulators/github/server.js';
import { errorsOf, responseValidator } from './openapi.js';
import { REPO, octokit, repo, world } from './world.js';

let emu: GitHubEmulator;
let ok: Octokit;
beforeAll(async () => {
  emu = await world();
  emu.state.comment(REPO, 1, { user: 'alice', body: 'please' });
  emu.state.addLabel(REPO, 1, 'jit');
  emu.state.setCollaborator(REPO, 'erin', 'admin');
  const merged = emu.state.openPullRequest(REPO, {
    author: 'dave',
    headFiles: { 'requests/d.yaml': 'x' },
  });
  emu.state.merge(REPO, merged.number, { by: 'bob' });
  ok = octokit(emu);
});
afterAll(() => emu.close());

/** Fails with the schema's complaints, so a missing property is named in the test output. */
function expectValid(operationId: string, status: number, body: unknown): void {
  const validate = responseValidator(operationId, status);
  validate(body);
  expect(errorsOf(validate)).toEqual([]);
}

const calls: [string, number, () => Promise<{ data: unknown }>][] = [
  ['repos/get', 200, () => ok.rest.repos.get(repo)],
  ['pulls/get', 200, () => ok.rest.pulls.get({ ...repo, pull_number: 1 })],
  ['pulls/get', 200, () => ok.rest.pulls.get({ ...repo, pull_number: 2 })],
  ['pulls/list', 200, () => ok.rest.pulls.list({ ...repo, state: 'all' })],
  ['pulls/list-files', 200, () => ok.rest.pulls.listFiles({ ...repo, pull_number: 1 })],
  ['pulls/list-reviews', 200, () => ok.rest.pulls.listReviews({ ...repo, pull_number: 1 })],
  [
    'repos/list-pull-requests-associated-with-commit',
    200,
    () =>
      ok.rest.repos.listPullRequestsAssociatedWithCommit({
        ...repo,
        commit_sha: emu.state.pull(REPO, 2).mergeCommitSha ?? '',
      }),
  ],
  ['issues/list-comments', 200, () => ok.rest.issues.listComments({ ...repo, issue_number: 1 })],
  [
    'issues/create-comment',
    201,
    () => ok.rest.issues.createComment({ ...repo, issue_number: 1, body: 'hi' }),
  ],
  [
    'issues/update-comment',
    200,
    () =>
      ok.rest.issues.updateComment({
        ...repo,
        comment_id: emu.state.comments[0]?.id ?? 0,
        body: 'edited',
      }),
  ],
  ['repos/get-content', 200, () => ok.rest.repos.getContent({ ...repo, path: 'jit.config.yaml' })],
  ['repos/get-content', 200, () => ok.rest.repos.getContent({ ...repo, path: 'requests' })],
  [
    'teams/get-membership-for-user-in-org',
    200,
    () =>
      ok.rest.teams.getMembershipForUserInOrg({
        org: 'acme',
        team_slug: 'platform',
        username: 'bob',
      }),
  ],
  [
    'repos/get-collaborator-permission-level',
    200,
    () => ok.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'erin' }),
  ],
  [
    'repos/get-collaborator-permission-level',
    200,
    () => ok.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'alice' }),
  ],
];

describe('responses match GitHub OpenAPI description', () => {
  it.each(calls.map(([id, status, call], i) => [`${i}: ${id}`, id, status, call] as const))(
    '%s',
    async (_name, id, status, call) => {
      const { data } = await call();
      expectValid(id, status, data);
    },
  );

  it('error bodies match basic-error and validation-error', async () => {
    const notFound = await ok.rest.pulls
      .get({ ...repo, pull_number: 404 })
      .catch((e: { response: { data: unknown } }) => e.response);
    expectValid('repos/get', 404, notFound.data);
    const invalid = await ok.rest.issues
      .createComment({ ...repo, issue_number: 1, body: 'x'.repeat(70000) })
      .catch((e: { response: { data: unknown } }) => e.response);
    expectValid('issues/create-comment', 422, invalid.data);
  });

  it('the checker rejects a response missing a required property', () => {
    const validate = responseValidator('pulls/get', 200);
    expect(validate({ number: 1 })).toBe(false);
  });
});
