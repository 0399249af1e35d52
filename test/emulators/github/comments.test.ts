import type { GitHubEmulator } from '../../../emulators/github/server.js';
import { REPO, octokit, repo, statusOf, world } from './world.js';

let emu: GitHubEmulator;
beforeEach(async () => (emu = await world()));
afterEach(() => emu.close());

describe('issue comments', () => {
  it('creates a comment as the token identity and lists it after the others', async () => {
    emu.state.comment(REPO, 1, { user: 'alice', body: 'please' });
    const bot = octokit(emu, { kind: 'github-token' });
    const created = await bot.rest.issues.createComment({
      ...repo,
      issue_number: 1,
      body: 'verdict: ok',
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      body: 'verdict: ok',
      user: { login: 'github-actions[bot]', type: 'Bot' },
    });
    const all = await bot.paginate(bot.rest.issues.listComments, {
      ...repo,
      issue_number: 1,
      per_page: 1,
    });
    expect(all.map((c) => [c.user?.login, c.body])).toEqual([
      ['alice', 'please'],
      ['github-actions[bot]', 'verdict: ok'],
    ]);
  });

  it('updates a comment in place', async () => {
    const ok = octokit(emu);
    const { data } = await ok.rest.issues.createComment({ ...repo, issue_number: 1, body: 'v1' });
    const updated = await ok.rest.issues.updateComment({
      ...repo,
      comment_id: data.id,
      body: 'v2',
    });
    expect(updated.data).toMatchObject({ id: data.id, body: 'v2' });
    expect(emu.state.comments.map((c) => c.body)).toEqual(['v2']);
  });

  it('does not update a comment through another repository', async () => {
    emu.state.addRepo('acme/other');
    const comment = emu.state.comment(REPO, 1, { user: 'alice', body: 'mine' });
    const ok = octokit(emu);
    expect(
      await statusOf(
        ok.rest.issues.updateComment({
          owner: 'acme',
          repo: 'other',
          comment_id: comment.id,
          body: 'x',
        }),
      ),
    ).toBe(404);
    expect(comment.body).toBe('mine');
  });

  it('rejects a missing or oversized body with 422 and a PR that does not exist with 404', async () => {
    const ok = octokit(emu);
    const res = await fetch(`${emu.url}/repos/acme/access/issues/1/comments`, {
      method: 'POST',
      headers: {
        authorization: `token ${emu.tokens.create()}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      message: 'Validation Failed',
      errors: [{ field: 'body', code: 'missing_field' }],
    });
    expect(
      await statusOf(
        ok.rest.issues.createComment({ ...repo, issue_number: 1, body: 'x'.repeat(65537) }),
      ),
    ).toBe(422);
    expect(
      await statusOf(ok.rest.issues.createComment({ ...repo, issue_number: 7, body: 'x' })),
    ).toBe(404);
  });
});
