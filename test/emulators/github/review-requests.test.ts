/**
 * POST /pulls/{n}/requested_reviewers as GitHub answers it: the refusals a client must survive
 * (the author, a stranger to the repository, a team the token cannot resolve) and requests that
 * add to those a person already made.
 */
import type { GitHubEmulator } from '../../../emulators/github/server.js';
import { errorsOf, responseValidator } from './openapi.js';
import { REPO, octokit, repo, world } from './world.js';

let emu: GitHubEmulator;
beforeEach(async () => {
  emu = await world();
  emu.state.addTeamRepo('acme/platform', REPO, 'write');
  emu.state.addTeamMember('acme/outsiders', 'olga');
});
afterEach(() => emu.close());

const APP = {
  kind: 'installation',
  app: 'jit-access-review',
  account: 'acme',
  permissions: { pull_requests: 'write', members: 'read' },
} as const;

const ask = (
  token: Parameters<typeof octokit>[1],
  body: { reviewers?: string[]; team_reviewers?: string[] },
) => octokit(emu, token).rest.pulls.requestReviewers({ ...repo, pull_number: 1, ...body });

describe('requesting reviewers', () => {
  it('adds teams and people to what is already requested, in the documented shape', async () => {
    emu.state.setCollaborator(REPO, 'dave', 'write');
    await ask(undefined, { reviewers: ['dave'] });
    const { status, data } = await ask(APP, { team_reviewers: ['platform'] });
    expect(status).toBe(201);
    const validate = responseValidator('pulls/request-reviewers', 201);
    validate(data);
    expect(errorsOf(validate)).toEqual([]);
    expect(data.requested_reviewers?.map((u) => u.login)).toEqual(['dave']);
    expect(data.requested_teams?.map((t) => t.slug)).toEqual(['platform']);
    const { data: pr } = await octokit(emu).rest.pulls.get({ ...repo, pull_number: 1 });
    expect(pr.requested_teams?.map((t) => t.slug)).toEqual(['platform']);
  });

  it('refuses the pull request author', async () => {
    await expect(ask(APP, { reviewers: ['alice'] })).rejects.toMatchObject({
      status: 422,
      response: { data: { message: 'Review cannot be requested from pull request author.' } },
    });
  });

  it('refuses a team not added to the repository and a person with no access', async () => {
    const message = `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${REPO} repository.`;
    for (const body of [{ team_reviewers: ['outsiders'] }, { reviewers: ['olga'] }]) {
      await expect(ask(APP, body)).rejects.toMatchObject({
        status: 422,
        response: { data: { message } },
      });
    }
    expect(emu.state.pull(REPO, 1).requestedTeams).toEqual([]);
  });

  it("answers a GITHUB_TOKEN's team request with 'Could not resolve to a node', a person's with success", async () => {
    const token = { kind: 'github-token', permissions: { pull_requests: 'write' } } as const;
    await expect(ask(token, { team_reviewers: ['platform'] })).rejects.toMatchObject({
      status: 422,
      response: {
        data: {
          message: 'Validation Failed',
          errors: [expect.stringMatching(/^Could not resolve to a node with the global id of/)],
        },
      },
    });
    emu.state.setCollaborator(REPO, 'dave', 'write');
    await expect(ask(token, { reviewers: ['dave'] })).resolves.toMatchObject({ status: 201 });
  });

  it('needs pull requests write', async () => {
    const readOnly = { ...APP, permissions: { pull_requests: 'read', members: 'read' } } as const;
    await expect(ask(readOnly, { reviewers: ['bob'] })).rejects.toMatchObject({ status: 403 });
  });

  it('drops a requested reviewer once they review, as GitHub does', async () => {
    await ask(APP, { reviewers: ['bob'] });
    expect(emu.state.pull(REPO, 1).requestedReviewers).toEqual(['bob']);
    emu.state.review(REPO, 1, { user: 'bob', state: 'APPROVED' });
    expect(emu.state.pull(REPO, 1).requestedReviewers).toEqual([]);
  });

  it('sets no cap on requested reviewers', async () => {
    const many = Array.from({ length: 16 }, (_, i) => `reviewer-${i}`);
    for (const login of many) emu.state.setCollaborator(REPO, login, 'write');
    await expect(ask(APP, { reviewers: many })).resolves.toMatchObject({ status: 201 });
  });
});
