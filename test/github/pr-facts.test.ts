import { Octokit } from '@octokit/rest';
import type { GitHubEmulator } from '../../emulators/github/server.js';
import { fetchPrFacts } from '../../src/github/pr-facts.js';
import { TeamMemberships } from '../../src/github/teams.js';
import {
  REPO,
  REQUEST,
  accessRepo,
  grantOctokit,
  judge,
  openRequest,
  repo,
} from './access-repo.js';

let emu: GitHubEmulator;
beforeEach(async () => (emu = await accessRepo()));
afterEach(() => emu.close());

/** An Octokit that records the paths it requests. */
function counting(): { octokit: Octokit; paths: string[] } {
  const octokit = grantOctokit(emu);
  const paths: string[] = [];
  octokit.hook.wrap('request', (request, options) => {
    paths.push(new URL(octokit.request.endpoint.parse(options).url).pathname);
    return request(options);
  });
  return { octokit, paths };
}

describe('fetchPrFacts', () => {
  it('reads everything the decision needs from the PR, its files and its reviews', async () => {
    const n = openRequest(emu);
    const approval = emu.state.review(REPO, n, { user: 'bob', state: 'APPROVED' });
    const pr = emu.state.merge(REPO, n, { by: 'bob' });
    const facts = await fetchPrFacts(grantOctokit(emu), repo, n);
    expect(facts).toEqual({
      repo,
      number: n,
      author: 'alice',
      state: 'closed',
      merged: true,
      mergedAt: pr.mergedAt?.toISOString().replace('.000', ''),
      mergeCommitSha: pr.mergeCommitSha,
      baseRef: 'main',
      defaultBranch: 'main',
      headSha: pr.headSha,
      changedFileCount: 1,
      files: [{ filename: REQUEST, status: 'added' }],
      reviews: [
        {
          id: approval.id,
          login: 'bob',
          state: 'APPROVED',
          commitId: pr.headSha,
          submittedAt: approval.submittedAt.toISOString().replace('.000', ''),
          authorAssociation: 'MEMBER',
        },
      ],
    });
  });

  it('reports the repository default branch, whatever it is called', async () => {
    await emu.close();
    emu = await accessRepo();
    emu.state.repo(REPO).defaultBranch = 'trunk';
    emu.state.addBranch(REPO, 'trunk', 'main');
    const n = openRequest(emu, { baseRef: 'main' });
    const facts = await fetchPrFacts(grantOctokit(emu), repo, n);
    expect(facts).toMatchObject({ baseRef: 'main', defaultBranch: 'trunk' });
  });

  it('pages through more than 100 reviews: a withdrawal on page 2 is seen', async () => {
    const n = openRequest(emu);
    emu.state.review(REPO, n, { user: 'bob', state: 'APPROVED' });
    for (let i = 0; i < 120; i++)
      emu.state.review(REPO, n, { user: `watcher${i}`, state: 'COMMENTED' });
    emu.state.review(REPO, n, { user: 'bob', state: 'CHANGES_REQUESTED' });
    emu.state.review(REPO, n, { user: 'carol', state: 'APPROVED' });
    emu.state.merge(REPO, n, { by: 'bob' });
    const { octokit, paths } = counting();
    const facts = await fetchPrFacts(octokit, repo, n);
    expect(facts.reviews).toHaveLength(123);
    expect(paths.filter((p) => p.endsWith('/reviews'))).toHaveLength(2);
    const j = await judge(emu, n);
    expect(j.approvals.counted).toEqual([{ login: 'carol', via: 'member of acme/platform' }]);
    expect(j.approvals.ignored).toContainEqual({
      login: 'bob',
      reason: 'requested changes in their latest review',
    });
  });

  it('pages through more than 100 files: an offending file on page 2 is seen', async () => {
    const docs = Object.fromEntries(Array.from({ length: 130 }, (_, i) => [`docs/${i}.md`, 'x\n']));
    const n = openRequest(emu, {
      headFiles: { ...docs, '.github/workflows/evil.yml': 'on: push\n' },
    });
    emu.state.review(REPO, n, { user: 'bob', state: 'APPROVED' });
    emu.state.merge(REPO, n, { by: 'bob' });
    const { octokit, paths } = counting();
    const facts = await fetchPrFacts(octokit, repo, n);
    expect(facts.files).toHaveLength(132);
    expect(facts.changedFileCount).toBe(132);
    expect(paths.filter((p) => p.endsWith('/files'))).toHaveLength(2);
    const j = await judge(emu, n);
    expect(j.problems).toHaveLength(131);
    expect(j.problems.at(-1)).toMatchObject({ file: '.github/workflows/evil.yml' });
  });
});

describe('TeamMemberships', () => {
  it('answers active membership; a pending invitation, a stranger and an unknown team are not', async () => {
    const teams = new TeamMemberships(grantOctokit(emu));
    expect(await teams.isActiveMember('acme/platform', 'bob')).toBe(true);
    expect(await teams.isActiveMember('acme/platform', 'Carol')).toBe(true);
    expect(await teams.isActiveMember('acme/platform', 'dave')).toBe(false);
    expect(await teams.isActiveMember('acme/platform', 'mallory')).toBe(false);
    expect(await teams.isActiveMember('acme/nobody', 'bob')).toBe(false);
    expect(await teams.isActiveMember('not-a-slug', 'bob')).toBe(false);
  });

  it('asks GitHub once per team and login in a run', async () => {
    const { octokit, paths } = counting();
    const teams = new TeamMemberships(octokit);
    const first = await teams.oracle(['acme/platform', 'erin'], ['bob', 'BOB', 'dave', 'ci[bot]']);
    const second = await teams.oracle(['acme/platform'], ['bob', 'dave']);
    await teams.isActiveMember('ACME/platform', 'Bob');
    expect(paths.sort()).toEqual([
      '/orgs/acme/teams/platform/memberships/bob',
      '/orgs/acme/teams/platform/memberships/dave',
    ]);
    for (const isMember of [first, second]) {
      expect(isMember('Bob', 'acme/platform')).toBe(true);
      expect(isMember('dave', 'acme/platform')).toBe(false);
    }
  });

  it('fails loudly when the token may not read team membership', async () => {
    const auth = emu.tokens.create({ permissions: { pull_requests: 'read' } });
    const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const teams = new TeamMemberships(new Octokit({ baseUrl: emu.url, auth, log: quiet }));
    await expect(teams.isActiveMember('acme/platform', 'bob')).rejects.toMatchObject({
      status: 403,
    });
  });
});
