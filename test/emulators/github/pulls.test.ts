import type { GitHubEmulator } from '../../../emulators/github/server.js';
import { REPO, octokit, repo, world } from './world.js';

let emu: GitHubEmulator;
beforeEach(async () => (emu = await world()));
afterEach(() => emu.close());

describe('pull requests', () => {
  it('reports a PR with its head, base and author', async () => {
    const { data } = await octokit(emu).rest.pulls.get({ ...repo, pull_number: 1 });
    const pr = emu.state.pull(REPO, 1);
    expect(data).toMatchObject({
      number: 1,
      state: 'open',
      merged: false,
      user: { login: 'alice', type: 'User' },
      head: { ref: 'alice/logs', sha: pr.headSha },
      base: { ref: 'main', repo: { full_name: REPO } },
      title: 'Request: read prod logs',
      body: 'Need to debug INC-42',
      changed_files: 1,
      created_at: '2026-03-01T10:00:00Z',
    });
  });

  it('answers 404 for a PR that does not exist', async () => {
    await expect(octokit(emu).rest.pulls.get({ ...repo, pull_number: 99 })).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Not Found', status: '404' } },
    });
  });

  it('follows push, label, body edit and merge', async () => {
    const s = emu.state;
    s.push(REPO, 1, 'f'.repeat(40));
    s.addLabel(REPO, 1, 'jit');
    s.editBody(REPO, 1, 'edited');
    const merged = s.merge(REPO, 1, { by: 'bob' });
    const { data } = await octokit(emu).rest.pulls.get({ ...repo, pull_number: 1 });
    expect(data).toMatchObject({
      state: 'closed',
      merged: true,
      merged_at: '2026-03-01T10:00:00Z',
      merged_by: { login: 'bob' },
      merge_commit_sha: merged.mergeCommitSha,
      head: { sha: 'f'.repeat(40) },
      labels: [{ name: 'jit' }],
      body: 'edited',
      commits: 2,
    });
    expect(s.repo(REPO).branches.get('main')).toBe(merged.mergeCommitSha);
  });

  it('keeps commits immutable: a known sha cannot be given new files', () => {
    const head = emu.state.pull(REPO, 1).headSha;
    expect(() => emu.state.push(REPO, 1, head, { headFiles: { 'x.txt': 'x' } })).toThrow(
      `commit ${head} exists`,
    );
    expect(emu.state.commit(REPO, head).files.has('x.txt')).toBe(false);
  });

  it('lists closed PRs into a base branch, newest first, across pages', async () => {
    const s = emu.state;
    for (let i = 0; i < 4; i++) {
      const pr = s.openPullRequest(REPO, {
        author: 'dave',
        headFiles: { [`requests/d${i}.yaml`]: 'x' },
      });
      if (i % 2 === 0) s.merge(REPO, pr.number, { by: 'bob' });
      else s.close(REPO, pr.number);
    }
    s.addBranch(REPO, 'other');
    s.openPullRequest(REPO, { author: 'erin', baseRef: 'other' });
    const ok = octokit(emu);
    const first = await ok.rest.pulls.list({ ...repo, state: 'closed', base: 'main', per_page: 3 });
    expect(first.data.map((p) => p.number)).toEqual([5, 4, 3]);
    expect(first.headers.link).toContain('rel="next"');
    const all = await ok.paginate(ok.rest.pulls.list, {
      ...repo,
      state: 'closed',
      base: 'main',
      per_page: 3,
    });
    expect(all.map((p) => p.number)).toEqual([5, 4, 3, 2]);
    const open = await ok.paginate(ok.rest.pulls.list, { ...repo });
    expect(open.map((p) => p.number).sort()).toEqual([1, 6]);
  });

  it('lists changed files with their status, paged', async () => {
    const s = emu.state;
    const pr = s.openPullRequest(REPO, {
      author: 'mallory',
      headFiles: {
        'requests/new.yaml': 'a: 1\n',
        'jit.config.yaml': 'accounts: {evil: 1}\n',
        'requests/README.md': null,
      },
    });
    const ok = octokit(emu);
    const files = await ok.paginate(ok.rest.pulls.listFiles, {
      ...repo,
      pull_number: pr.number,
      per_page: 1,
    });
    expect(files.map((f) => [f.filename, f.status])).toEqual([
      ['requests/new.yaml', 'added'],
      ['jit.config.yaml', 'modified'],
      ['requests/README.md', 'removed'],
    ]);
  });

  it('recomputes changed files when a push changes the tree', async () => {
    emu.state.push(REPO, 1, undefined, { headFiles: { 'README.md': 'sneaky\n' } });
    const { data } = await octokit(emu).rest.pulls.listFiles({ ...repo, pull_number: 1 });
    expect(data.map((f) => [f.filename, f.status]).sort()).toEqual([
      ['README.md', 'added'],
      ['requests/alice-logs.yaml', 'added'],
    ]);
  });

  it('finds the PR a merge commit came from, and the open PRs containing a commit', async () => {
    const s = emu.state;
    const oldHead = s.pull(REPO, 1).headSha;
    const ok = octokit(emu);
    const byHead = await ok.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: oldHead,
    });
    expect(byHead.data.map((p) => p.number)).toEqual([1]);
    const { mergeCommitSha } = s.merge(REPO, 1, { by: 'bob' });
    const byMerge = await ok.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: mergeCommitSha ?? '',
    });
    expect(byMerge.data).toMatchObject([{ number: 1, merged_at: '2026-03-01T10:00:00Z' }]);
    const none = await ok.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: 'a'.repeat(40),
    });
    expect(none.data).toEqual([]);
  });
});

describe('reviews', () => {
  it('lists reviews in order with user, state and the commit reviewed', async () => {
    const s = emu.state;
    const first = s.pull(REPO, 1).headSha;
    s.push(REPO, 1);
    const later = s.review(REPO, 1, {
      user: 'carol',
      state: 'CHANGES_REQUESTED',
      submittedAt: new Date('2026-03-01T11:00:00Z'),
    });
    s.review(REPO, 1, {
      user: 'alice',
      state: 'COMMENTED',
      body: 'lgtm me',
      submittedAt: new Date('2026-03-01T12:00:00Z'),
    });
    s.dismissReview(later.id);
    const ok = octokit(emu);
    const reviews = await ok.paginate(ok.rest.pulls.listReviews, {
      ...repo,
      pull_number: 1,
      per_page: 2,
    });
    expect(reviews.map((r) => [r.user?.login, r.state, r.commit_id])).toEqual([
      ['bob', 'APPROVED', first],
      ['carol', 'DISMISSED', s.pull(REPO, 1).headSha],
      ['alice', 'COMMENTED', s.pull(REPO, 1).headSha],
    ]);
    expect(reviews[0]).toMatchObject({
      submitted_at: '2026-03-01T10:00:00Z',
      author_association: 'MEMBER',
    });
  });
});
