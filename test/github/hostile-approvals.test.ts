import type { GitHubEmulator } from '../../emulators/github/server.js';
import { REPO, REQUEST, accessRepo, judge, openRequest } from './access-repo.js';

/**
 * The hostile-approval matrix, end to end through the REST API: each case is a PR a grant must
 * refuse (or, for the controls, accept), judged from what GitHub reports.
 */

let emu: GitHubEmulator;
beforeEach(async () => (emu = await accessRepo()));
afterEach(() => emu.close());

const merge = (n: number): void => void emu.state.merge(REPO, n, { by: 'bob' });
const approve = (n: number, user: string, commitId?: string): number =>
  emu.state.review(REPO, n, { user, state: 'APPROVED', ...(commitId ? { commitId } : {}) }).id;
const messages = (j: { problems: { message: string }[] }): string[] =>
  j.problems.map((p) => p.message);

describe('approvals', () => {
  it('grants a merged request approved on its final commit by a team member', async () => {
    const n = openRequest(emu);
    approve(n, 'bob');
    merge(n);
    const j = await judge(emu, n);
    expect(j.problems).toEqual([]);
    expect(j.approvals.counted).toEqual([{ login: 'bob', via: 'member of acme/platform' }]);
  });

  it('refuses self-approval', async () => {
    const n = openRequest(emu);
    approve(n, 'alice');
    merge(n);
    const j = await judge(emu, n);
    expect(j.approvals.ignored).toEqual([
      { login: 'alice', reason: 'is the author: nobody approves their own request' },
    ]);
    expect(messages(j)).toEqual([
      'not enough approvals: 0 of 1 required approval; 1 more needed. Not counted: alice is the author: nobody approves their own request',
    ]);
  });

  it('refuses an approval given before a later push', async () => {
    const n = openRequest(emu);
    approve(n, 'bob');
    emu.state.push(REPO, n, undefined, {
      headFiles: { [REQUEST]: 'requester: alice\nmore: yes\n' },
    });
    merge(n);
    const j = await judge(emu, n);
    expect(j.approvals.satisfied).toBe(false);
    expect(j.approvals.ignored[0]?.reason).toMatch(
      /^approved commit \w{7}, not the final commit \w{7}/,
    );
  });

  it('counts an approval renewed after the push', async () => {
    const n = openRequest(emu);
    approve(n, 'bob');
    emu.state.push(REPO, n, undefined, { headFiles: { [REQUEST]: 'v2\n' } });
    approve(n, 'bob');
    merge(n);
    expect((await judge(emu, n)).problems).toEqual([]);
  });

  it('refuses a dismissed approval', async () => {
    const n = openRequest(emu);
    emu.state.dismissReview(approve(n, 'bob'));
    merge(n);
    const j = await judge(emu, n);
    expect(j.approvals.ignored).toEqual([
      { login: 'bob', reason: 'had their latest review dismissed' },
    ]);
  });

  it('refuses an approval followed by a request for changes', async () => {
    const n = openRequest(emu);
    approve(n, 'bob');
    emu.state.review(REPO, n, { user: 'bob', state: 'CHANGES_REQUESTED' });
    merge(n);
    const j = await judge(emu, n);
    expect(j.approvals.ignored).toEqual([
      { login: 'bob', reason: 'requested changes in their latest review' },
    ]);
  });

  it('keeps an approval followed by a comment, as GitHub does', async () => {
    const n = openRequest(emu);
    approve(n, 'bob');
    emu.state.review(REPO, n, { user: 'bob', state: 'COMMENTED', body: 'thanks' });
    merge(n);
    expect((await judge(emu, n)).problems).toEqual([]);
  });

  it('refuses approvers outside the team, including one whose invitation is pending', async () => {
    const n = openRequest(emu);
    approve(n, 'mallory');
    approve(n, 'dave');
    merge(n);
    const j = await judge(emu, n);
    expect(j.approvals.counted).toEqual([]);
    expect(j.approvals.ignored.map((i) => i.login)).toEqual(['mallory', 'dave']);
    expect(j.approvals.ignored[0]?.reason).toBe(
      'is not an approver for this request (approvers: acme/platform)',
    );
  });

  it('counts a listed login that is in no team', async () => {
    const n = openRequest(emu);
    approve(n, 'mallory');
    merge(n);
    const j = await judge(emu, n, {
      rule: { required: 1, approvers: ['acme/platform', 'Mallory'] },
    });
    expect(j.approvals.counted).toEqual([{ login: 'mallory', via: 'listed' }]);
  });

  it('refuses a bot approval', async () => {
    const n = openRequest(emu);
    emu.state.addTeamMember('acme/platform', 'deploy[bot]');
    approve(n, 'deploy[bot]');
    merge(n);
    const j = await judge(emu, n);
    expect(j.approvals.ignored).toEqual([
      { login: 'deploy[bot]', reason: 'is a bot: bots cannot approve access' },
    ]);
  });

  it('counts one person approving twice once', async () => {
    const n = openRequest(emu);
    approve(n, 'bob');
    approve(n, 'bob');
    merge(n);
    const j = await judge(emu, n, { rule: { required: 2, approvers: ['acme/platform'] } });
    expect(j.approvals).toMatchObject({ satisfied: false, missing: 1 });
    expect(j.approvals.counted).toHaveLength(1);
  });

  it('compares logins case-insensitively: requester, approver list and team slug', async () => {
    const n = openRequest(emu);
    // GitHub answers with each account's canonical spelling whatever case a review was made in.
    approve(n, 'ALICE');
    approve(n, 'Carol');
    merge(n);
    const j = await judge(emu, n, {
      requester: 'Alice',
      rule: { required: 1, approvers: ['ACME/Platform'] },
    });
    expect(j.problems).toEqual([]);
    expect(j.approvals.counted).toEqual([{ login: 'carol', via: 'member of ACME/Platform' }]);
    expect(j.approvals.ignored).toEqual([
      { login: 'alice', reason: 'is the author: nobody approves their own request' },
    ]);
  });

  it('refuses too few approvers', async () => {
    const n = openRequest(emu);
    approve(n, 'bob');
    merge(n);
    const j = await judge(emu, n, { rule: { required: 2, approvers: ['acme/platform'] } });
    expect(messages(j)).toEqual([
      'not enough approvals: 1 of 2 required approvals (bob (member of acme/platform)); 1 more needed',
    ]);
  });

  it('counts two distinct team members for a rule that needs two', async () => {
    const n = openRequest(emu);
    approve(n, 'bob');
    approve(n, 'carol');
    merge(n);
    const j = await judge(emu, n, { rule: { required: 2, approvers: ['acme/platform'] } });
    expect(j.problems).toEqual([]);
  });

  it('refuses an admin merge without any review', async () => {
    const n = openRequest(emu);
    merge(n);
    expect(messages(await judge(emu, n))).toEqual([
      'not enough approvals: 0 of 1 required approval; 1 more needed',
    ]);
  });

  it('refuses an admin merge approved only afterwards', async () => {
    const n = openRequest(emu);
    merge(n);
    approve(n, 'bob');
    const j = await judge(emu, n);
    expect(j.approvals.satisfied).toBe(false);
    expect(j.approvals.ignored).toEqual([
      {
        login: 'bob',
        reason:
          'reviewed only after the merge: a review that did not gate the merge cannot approve it',
      },
    ]);
  });

  it('ignores the PR body and labels, which can change after approval', async () => {
    const n = openRequest(emu);
    approve(n, 'bob');
    emu.state.editBody(REPO, n, 'requester: mallory, duration: 1y');
    emu.state.addLabel(REPO, n, 'approved');
    merge(n);
    const j = await judge(emu, n);
    expect(j.problems).toEqual([]);
    expect(Object.keys(j.facts)).not.toEqual(expect.arrayContaining(['body']));
  });
});

describe('the PR itself', () => {
  it('refuses a PR that is not merged', async () => {
    const n = openRequest(emu);
    approve(n, 'bob');
    expect(messages(await judge(emu, n))).toEqual([`PR #${n} is not merged (it is open)`]);
  });

  it('refuses a PR closed without merging', async () => {
    const n = openRequest(emu);
    approve(n, 'bob');
    emu.state.close(REPO, n);
    expect(messages(await judge(emu, n))).toEqual([`PR #${n} is not merged (it is closed)`]);
  });

  it('refuses a PR merged into a branch other than the default', async () => {
    emu.state.addBranch(REPO, 'release');
    const n = openRequest(emu, { baseRef: 'release' });
    approve(n, 'bob');
    merge(n);
    expect(messages(await judge(emu, n))).toEqual([
      `PR #${n} targets release, not the default branch main`,
    ]);
  });

  it('refuses when the author is not the requester', async () => {
    const n = openRequest(emu);
    approve(n, 'bob');
    merge(n);
    expect(messages(await judge(emu, n, { requester: 'bob' }))).toEqual([
      `PR #${n} was opened by alice, but the request is for bob: a request must be opened by its requester`,
    ]);
  });

  it.each([
    ['jit.config.yaml', 'version: 1\nprofiles: {}\n', 'modified'],
    ['.github/workflows/x.yml', 'on: push\n', 'added'],
    ['.github/CODEOWNERS', '* @alice\n', 'modified'],
    ['requests/old-request.yaml', 'requester: alice\nduration: 1y\n', 'modified'],
    ['requests/old-request.yaml', null, 'removed'],
    ['requests/README.md', 'pwned\n', 'modified'],
    ['requests/nested/x.yaml', 'x\n', 'added'],
  ])('refuses a PR that also changes %s (%#)', async (path, text, status) => {
    const n = openRequest(emu, { headFiles: { [path]: text } });
    approve(n, 'bob');
    merge(n);
    const j = await judge(emu, n);
    expect(j.facts.files).toContainEqual({ filename: path, status });
    expect(j.problems).toHaveLength(1);
    expect(j.problems[0]).toMatchObject({ file: path, severity: 'error' });
    expect(j.problems[0]?.message).toContain(status);
  });

  it('refuses a PR that renames an existing request', async () => {
    const n = openRequest(emu, {
      files: [
        {
          filename: 'requests/alice-logs.yaml',
          status: 'renamed',
          previousFilename: 'requests/old-request.yaml',
        },
      ],
    });
    approve(n, 'bob');
    merge(n);
    expect(messages(await judge(emu, n))).toEqual([
      'renamed an existing request: requests are immutable once merged; add a new request file instead',
      `PR #${n} adds no request file`,
      `PR #${n} does not add requests/alice-logs.yaml`,
    ]);
  });

  it('refuses two requests in one PR', async () => {
    const n = openRequest(emu, { headFiles: { 'requests/alice-ec2.yaml': 'x\n' } });
    approve(n, 'bob');
    merge(n);
    expect(messages(await judge(emu, n))).toEqual([
      `PR #${n} adds 2 request files (requests/alice-logs.yaml, requests/alice-ec2.yaml): one request per PR, so each grant is approved on its own`,
    ]);
  });
});
