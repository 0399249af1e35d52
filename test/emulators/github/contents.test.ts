import type { GitHubEmulator } from '../../../emulators/github/server.js';
import { REPO, octokit, repo, statusOf, world } from './world.js';

let emu: GitHubEmulator;
beforeEach(async () => (emu = await world()));
afterEach(() => emu.close());

const text = (data: unknown): string => {
  const file = data as { type: string; encoding: string; content: string };
  expect(file).toMatchObject({ type: 'file', encoding: 'base64' });
  return Buffer.from(file.content, 'base64').toString('utf8');
};

describe('contents', () => {
  it('lists the root when the path is omitted, and answers 404 for a branch that does not exist', async () => {
    const ok = octokit(emu);
    const { data } = await ok.rest.repos.getContent({ ...repo, path: '', ref: 'main' });
    expect(Array.isArray(data) && data.map((e) => e.name)).toContain('jit.config.yaml');
    expect(
      await statusOf(ok.rest.repos.getContent({ ...repo, path: '', ref: 'refs/heads/nope' })),
    ).toBe(404);
  });

  it('reads a file at the PR head and not on the default branch', async () => {
    const ok = octokit(emu);
    const head = emu.state.pull(REPO, 1).headSha;
    const path = 'requests/alice-logs.yaml';
    expect(text((await ok.rest.repos.getContent({ ...repo, path, ref: head })).data)).toBe(
      'account: prod\nduration: 2h\n',
    );
    expect(await statusOf(ok.rest.repos.getContent({ ...repo, path }))).toBe(404);
  });

  it('reads the default branch by name, by refs/heads/ and when no ref is given', async () => {
    const ok = octokit(emu);
    for (const ref of [undefined, 'main', 'refs/heads/main']) {
      const { data } = await ok.rest.repos.getContent({
        ...repo,
        path: 'jit.config.yaml',
        ...(ref ? { ref } : {}),
      });
      expect(text(data)).toBe('accounts: {}\n');
    }
  });

  it('sees a merged request on the base branch and at the merge commit', async () => {
    const { mergeCommitSha } = emu.state.merge(REPO, 1, { by: 'bob' });
    const ok = octokit(emu);
    for (const ref of ['main', mergeCommitSha ?? '']) {
      const { data } = await ok.rest.repos.getContent({
        ...repo,
        path: 'requests/alice-logs.yaml',
        ref,
      });
      expect(text(data)).toContain('account: prod');
    }
  });

  it('lists a directory, with subdirectories, sorted', async () => {
    emu.state.commitToBranch(REPO, 'main', { 'requests/team/x.yaml': 'x', 'requests/b.yaml': 'b' });
    const { data } = await octokit(emu).rest.repos.getContent({ ...repo, path: 'requests' });
    expect(Array.isArray(data)).toBe(true);
    expect((data as { name: string; type: string }[]).map((e) => [e.name, e.type])).toEqual([
      ['b.yaml', 'file'],
      ['README.md', 'file'],
      ['team', 'dir'],
    ]);
  });

  it('round-trips non-ASCII text and reports its byte size and git blob sha', async () => {
    emu.state.commitToBranch(REPO, 'main', { 'requests/ü.yaml': 'reason: café ☕\n' });
    const { data } = await octokit(emu).rest.repos.getContent({ ...repo, path: 'requests/ü.yaml' });
    expect(text(data)).toBe('reason: café ☕\n');
    // `git hash-object` of the same bytes.
    expect(data).toMatchObject({
      size: 18,
      path: 'requests/ü.yaml',
      sha: '91a71d883c9b4af4da4532c08288b97f0e745b99',
    });
  });

  it('answers 404 for an unknown ref', async () => {
    expect(
      await statusOf(
        octokit(emu).rest.repos.getContent({ ...repo, path: 'jit.config.yaml', ref: 'nope' }),
      ),
    ).toBe(404);
  });
});
