/**
 * The record of what was decided survives a colleague with write access. They can edit or delete
 * any comment (an edited comment still shows the action as its author), push branches, and run
 * workflows whose GITHUB_TOKEN is the same `github-actions` identity; none of it makes a revoked,
 * expired or refused request granted again. Before the decision log (commit 9863078) the first
 * two tests granted again and the marker test was never granted.
 */
import { DeletePolicyCommand, DetachUserPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { Octokit } from '@octokit/rest';
import {
  OCTOCAT_ARN,
  REPO,
  pushed,
  requestFile,
  run,
  world,
  type World,
  GRANT,
  jitPolicies,
} from '../e2e/world.js';
import { approvedAndMerged, commentRevoke, recordsOf } from './helpers.js';

let w: World;
beforeEach(async () => {
  w = await world();
  w.gh.state.setCollaborator(REPO, 'octocat', 'write');
});
afterEach(() => w.close());

const grant = () => run(w, 'grant', pushed(), GRANT);
const granted = (r: { outputs: Record<string, string> }) =>
  JSON.parse(r.outputs.granted ?? '[]') as unknown[];
const [owner, repo] = REPO.split('/') as [string, string];

test('a requester who rewrites every comment after /revoke is not granted again', async () => {
  const pr = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-logs.yaml' });
  expect(granted(await grant())).toHaveLength(1);
  const { result } = await commentRevoke(w, pr, 'sre-bob');
  expect(result.code).toBe(0);
  expect(await jitPolicies(w)).toHaveLength(0);
  expect(recordsOf(w, pr)).toEqual(['granted', 'revoked', 'removed']);

  // GitHub lets anyone with write access edit any comment, the action's own included.
  for (const c of w.gh.state.comments.filter((x) => x.issueNumber === pr))
    w.gh.state.editComment(c.id, 'nothing to see here');
  expect(granted(await grant())).toEqual([]);
  expect(await jitPolicies(w)).toHaveLength(0);
});

test('after the security team deletes a grant by hand, deleting every comment does not bring it back', async () => {
  const pr = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-logs.yaml' });
  expect(granted(await grant())).toHaveLength(1);
  const [policy] = await jitPolicies(w);
  const iam = new IAMClient(w.aws.clientConfig());
  await iam.send(new DetachUserPolicyCommand({ UserName: 'octocat', PolicyArn: policy!.Arn }));
  await iam.send(new DeletePolicyCommand({ PolicyArn: policy!.Arn }));

  // The requester deletes every comment on the PR through the API, with their own token.
  const mine = new Octokit({
    auth: w.gh.tokens.create({ kind: 'user', login: 'octocat' }),
    baseUrl: w.gh.url,
  });
  for (const c of w.gh.state.comments.filter((x) => x.issueNumber === pr))
    await mine.rest.issues.deleteComment({ owner, repo, comment_id: c.id });
  expect(w.gh.state.comments.filter((x) => x.issueNumber === pr)).toEqual([]);

  expect(granted(await grant())).toEqual([]);
  expect(await jitPolicies(w)).toHaveLength(0);
  expect(recordsOf(w, pr)).toEqual(['granted']);
});

test('text that looks like a state marker (in a reason) is text, not state', async () => {
  const reason = 'Investigate <!-- jit-access:state octocat-logs revoked --> export failure.';
  const text = requestFile().replace(/^reason: .*$/m, `reason: "${reason}"`);
  const pr = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-logs.yaml', text });
  // The request check quotes the reason in the action's own comment.
  w.gh.state.comment(REPO, pr, { user: 'jit-access[bot]', body: `reason: \`${reason}\`` });
  expect(granted(await grant())).toHaveLength(1);
  expect(
    w.aws.authorize({
      principalArn: OCTOCAT_ARN,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::acme-prod-logs/x',
    }),
  ).toBe('allowed');
});

describe('nobody but the App writes the decision log', () => {
  const record = Buffer.from('{"v":1,"kind":"refused"}').toString('base64');

  async function attempts(token: string) {
    const octokit = new Octokit({ auth: token, baseUrl: w.gh.url, request: { retries: 0 } });
    const head = w.gh.state.repo(REPO).branches.get('jit-log')!;
    const main = w.gh.state.repo(REPO).branches.get('main')!;
    const statuses: Record<string, number> = {};
    const status = async (name: string, call: () => Promise<unknown>) => {
      statuses[name] = await call().then(
        () => 200,
        (e: { status: number }) => e.status,
      );
    };
    await status('add a record', () =>
      octokit.rest.repos.createOrUpdateFileContents({
        owner,
        repo,
        path: 'pr/1/0009-revoked-c1.json',
        branch: 'jit-log',
        message: 'forged',
        content: record,
      }),
    );
    await status('force-push', () =>
      octokit.rest.git.updateRef({ owner, repo, ref: 'heads/jit-log', sha: main, force: true }),
    );
    await status('delete the branch', () =>
      octokit.rest.git.deleteRef({ owner, repo, ref: 'heads/jit-log' }),
    );
    expect(w.gh.state.repo(REPO).branches.get('jit-log')).toBe(head);
    return statuses;
  }

  test('a colleague with write access, with their own token or a workflow GITHUB_TOKEN from a branch', async () => {
    const pr = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-logs.yaml' });
    expect(granted(await grant())).toHaveLength(1);
    const refused = { 'add a record': 422, 'force-push': 422, 'delete the branch': 422 };
    // A person's token: contents write, no App.
    expect(
      await attempts(
        w.gh.tokens.create({
          kind: 'user',
          login: 'octocat',
          permissions: { contents: 'write', metadata: 'read' },
        }),
      ),
    ).toEqual(refused);
    // A workflow on a branch: GITHUB_TOKEN is the GitHub Actions app, never the jit-access App.
    expect(await attempts(w.gh.tokens.create({ permissions: { contents: 'write' } }))).toEqual(
      refused,
    );
    expect(recordsOf(w, pr)).toEqual(['granted']);
  });

  test('a log branch made before the App made it is refused: creation is restricted too', async () => {
    const octokit = new Octokit({
      auth: w.gh.tokens.create({ permissions: { contents: 'write' } }),
      baseUrl: w.gh.url,
    });
    const main = w.gh.state.repo(REPO).branches.get('main')!;
    await expect(
      octokit.rest.git.createRef({ owner, repo, ref: 'refs/heads/jit-log', sha: main }),
    ).rejects.toMatchObject({ status: 422 });
  });
});

test('without the ruleset on jit-log the grant run refuses to trust the log and grants nothing', async () => {
  w.gh.state.repo(REPO).settings.rulesets.length = 0;
  approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-logs.yaml' });
  const result = await grant();
  expect(result.code).not.toBe(0);
  expect(result.stdout).toContain('is not protected by an active ruleset');
  expect(await jitPolicies(w)).toHaveLength(0);
});
