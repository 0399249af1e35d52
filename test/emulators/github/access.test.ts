import { Octokit } from '@octokit/rest';
import type { GitHubEmulator } from '../../../emulators/github/server.js';
import { octokit, quiet, repo, statusOf, world } from './world.js';

let emu: GitHubEmulator;
beforeEach(async () => (emu = await world()));
afterEach(() => emu.close());

describe('authentication and permissions', () => {
  it('answers 401 without a token and for an unknown one', async () => {
    const anonymous = await fetch(`${emu.url}/repos/acme/access`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      message: 'Requires authentication',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });
    const forged = new Octokit({ baseUrl: emu.url, auth: 'ghs_forged', log: quiet });
    expect(await statusOf(forged.rest.repos.get(repo))).toBe(401);
  });

  it('accepts both `token` and `Bearer` schemes', async () => {
    const value = emu.tokens.create();
    for (const scheme of ['token', 'Bearer']) {
      const res = await fetch(`${emu.url}/repos/acme/access`, {
        headers: { authorization: `${scheme} ${value}` },
      });
      expect(res.status).toBe(200);
    }
  });

  it('a GITHUB_TOKEN reaches only its own repository, never a second one', async () => {
    emu.state.addRepo('acme/other');
    const token = octokit(emu, { permissions: { contents: 'read' } });
    expect(await statusOf(token.rest.repos.get(repo))).toBe('ok');
    expect(await statusOf(token.rest.repos.get({ owner: 'acme', repo: 'other' }))).toBe(404);
  });

  it('refuses a write with a read-only token, and allows it with the permission', async () => {
    const readOnly = octokit(emu, { permissions: { pull_requests: 'read', issues: 'read' } });
    expect(await statusOf(readOnly.rest.pulls.get({ ...repo, pull_number: 1 }))).toBe('ok');
    const refused = readOnly.rest.issues.createComment({ ...repo, issue_number: 1, body: 'hi' });
    await expect(refused).rejects.toMatchObject({
      status: 403,
      response: { data: { message: 'Resource not accessible by integration' } },
    });
    expect(emu.state.comments).toHaveLength(0);
    const writer = octokit(emu, { permissions: { pull_requests: 'write' } });
    expect(
      await statusOf(writer.rest.issues.createComment({ ...repo, issue_number: 1, body: 'hi' })),
    ).toBe('ok');
  });

  it('refuses reads outside the granted permissions', async () => {
    const contentsOnly = octokit(emu, { permissions: { contents: 'read' } });
    expect(await statusOf(contentsOnly.rest.pulls.get({ ...repo, pull_number: 1 }))).toBe(403);
    expect(
      await statusOf(
        contentsOnly.rest.teams.getMembershipForUserInOrg({
          org: 'acme',
          team_slug: 'platform',
          username: 'bob',
        }),
      ),
    ).toBe(403);
    expect(
      await statusOf(contentsOnly.rest.repos.getContent({ ...repo, path: 'jit.config.yaml' })),
    ).toBe('ok');
  });

  it('hides repositories the token is not installed on', async () => {
    emu.state.addRepo('acme/other');
    const scoped = octokit(emu, { repositories: ['acme/access'] });
    expect(await statusOf(scoped.rest.repos.get(repo))).toBe('ok');
    expect(await statusOf(scoped.rest.repos.get({ owner: 'acme', repo: 'other' }))).toBe(404);
  });

  it('reports the rate limit and enforces it', async () => {
    const limited = octokit(emu, { rateLimit: 2 });
    const first = await limited.rest.repos.get(repo);
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-used': '1',
      'x-ratelimit-resource': 'core',
    });
    expect(Number(first.headers['x-ratelimit-reset'])).toBe(
      Date.parse('2026-03-01T11:00:00Z') / 1000,
    );
    await limited.rest.repos.get(repo);
    expect(await statusOf(limited.rest.repos.get(repo))).toBe(403);
  });
});

describe('repositories, teams and collaborators', () => {
  it('describes the repository', async () => {
    const { data } = await octokit(emu).rest.repos.get(repo);
    expect(data).toMatchObject({
      full_name: 'acme/access',
      default_branch: 'main',
      private: true,
      owner: { login: 'acme', type: 'Organization' },
      id: emu.state.repo('acme/access').id,
    });
  });

  it('answers team membership: active, pending, or 404 for non-members', async () => {
    const ok = octokit(emu);
    const ask = (username: string) =>
      ok.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'platform', username });
    expect((await ask('bob')).data).toMatchObject({ state: 'active', role: 'member' });
    expect((await ask('carol')).data).toMatchObject({ state: 'pending' });
    expect(await statusOf(ask('alice'))).toBe(404);
    expect(
      await statusOf(
        ok.rest.teams.getMembershipForUserInOrg({
          org: 'acme',
          team_slug: 'nope',
          username: 'bob',
        }),
      ),
    ).toBe(404);
  });

  it('reports collaborator permission with the legacy and the role name', async () => {
    const ok = octokit(emu);
    const bob = await ok.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'bob' });
    expect(bob.data).toMatchObject({
      permission: 'write',
      role_name: 'maintain',
      user: { login: 'bob' },
    });
    const alice = await ok.rest.repos.getCollaboratorPermissionLevel({
      ...repo,
      username: 'alice',
    });
    expect(alice.data).toMatchObject({ permission: 'none' });
    expect(
      await statusOf(ok.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'nobody' })),
    ).toBe(404);
  });
});
