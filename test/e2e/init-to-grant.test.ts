/**
 * From an empty organisation to a first grant and its revoke, with only what `jit init` writes
 * (for main and for another default branch, deployed with GitHubDefaultBranch):
 * its files pushed to a new repository in the GitHub emulator, the README's setup applied
 * (teams, rulesets, the jit-grant and jit-request environments, the App, Actions settings,
 * deploy/jit-access.yaml in the account), `jit doctor` clean, then a request PR through the generated workflows, each
 * job run as a runner would run it (./workflow-run.ts resolves the `@v1` actions to this build).
 */
import { Octokit } from '@octokit/rest';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import type { Installation } from '../../emulators/github/apps.js';
import { pullRequestEvent, scheduleEvent } from '../../emulators/github/events.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { installRole } from '../../src/demo/template.js';
import { role } from '../deploy/template.js';
import { DOCTOR_TOKEN, REQUEST_CHECK_RULE, PULL_REQUEST_RULE } from '../doctor/world.js';
import { runWorkflow } from './workflow-run.js';

const REPO = 'acme/access';
const ACCOUNT = '123456789012';
const OCTOCAT = `arn:aws:iam::${ACCOUNT}:user/people/octocat`;
/** Now: doctor signs the App's JWT with the wall clock, and GitHub checks it against its own. */
const T0 = new Date(Math.floor(Date.now() / 1000) * 1000);

let aws: AwsEmulator;
let gh: GitHubEmulator;
beforeEach(async () => {
  aws = await startAwsEmulator({ clock: new Clock(T0) });
  gh = await startGitHubEmulator({ clock: () => aws.clock.now() });
});
afterEach(async () => {
  await gh.close();
  await aws.close();
});

async function jit(args: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, cwd };
  return { code: await main(args, io), stdout, stderr };
}

/** Every file under dir by relative path. */
async function filesOf(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const e of entries.filter((e) => e.isFile())) {
    const path = join(e.parentPath, e.name);
    files[path.slice(dir.length + 1)] = await readFile(path, 'utf8');
  }
  return files;
}

/** The README's setup, step by step, for the organisation's administrator. */
function setUp(branch: string): Installation {
  const s = gh.state;
  // Teams CODEOWNERS and the generated config name; the approver can approve and merge.
  s.addTeamMember('acme/platform-security', 'octo-admin');
  s.addTeamMember('acme/access-approvers', 'sre-bob');
  s.setCollaborator(REPO, 'sre-bob', 'write');
  // 2. deploy/jit-access.yaml in the account.
  const provider = aws.state.addOidcProvider({ url: gh.oidc.issuer.issuer });
  const params = {
    GitHubOrg: 'acme',
    GitHubRepo: 'access',
    GitHubRepositoryId: String(s.repo(REPO).id),
    PrincipalPathPrefix: '/people/',
    'AWS::AccountId': ACCOUNT,
    'AWS::Partition': 'aws',
    GitHubDefaultBranch: branch,
  };
  installRole(aws.state, role('BrokerRole', params), provider.url);
  installRole(aws.state, role('RunbookRole', params), provider.url);
  aws.state.addUser({ name: 'octocat', path: '/people/' });
  // 3. The jit-grant and jit-request environments, deploying from protected branches only.
  for (const environment of ['jit-grant', 'jit-request'])
    s.addEnvironment(REPO, environment, {
      branchPolicy: { protectedBranches: true, customBranchPolicies: false },
    });
  // 4. The App, installed on this repository only, with the README's permissions.
  const installation = gh.apps.install(gh.apps.register('acme-jit-access'), {
    account: 'acme',
    repositories: [REPO],
    permissions: { contents: 'write', issues: 'write', pull_requests: 'write', members: 'read' },
  });
  // 5. The rulesets on the default branch and on the decision log.
  s.addRuleset(REPO, {
    name: `protect ${branch}`,
    rules: [
      PULL_REQUEST_RULE,
      REQUEST_CHECK_RULE,
      { type: 'non_fast_forward' },
      { type: 'deletion' },
    ],
    bypass_actors: [],
  });
  s.addBranch(REPO, 'jit-log');
  s.addRuleset(REPO, {
    name: 'decision log',
    conditions: { ref_name: { include: ['refs/heads/jit-log'], exclude: [] } },
    rules: [
      { type: 'creation' },
      { type: 'update' },
      { type: 'deletion' },
      { type: 'non_fast_forward' },
    ],
    bypass_actors: [
      { actor_id: installation.app.id, actor_type: 'Integration', bypass_mode: 'always' },
    ],
  });
  // 7. Actions settings.
  s.setWorkflowPermissions(REPO, {
    defaultWorkflowPermissions: 'read',
    canApprovePullRequestReviews: false,
  });
  return installation;
}

test.each(['main', 'trunk'])(
  'default branch %s: jit init → push → setup → doctor clean → request, approval, merge, grant, expiry, revoke',
  async (branch) => {
    // An organisation with nothing in it: no repository, no team, no App.
    expect(gh.state.repos.size).toBe(0);

    // 1. jit init, as the README's first step says.
    const dir = await mkdtemp(join(tmpdir(), 'jit-init-e2e-'));
    const init = await jit(
      ['init', '--org', 'acme', '--repo', 'access', '--dir', 'access', '--default-branch', branch],
      dir,
    );
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('jit doctor --repo acme/access');
    const files = await filesOf(join(dir, 'access'));

    // A new repository; the files pushed through the contents API by an administrator.
    gh.state.addRepo(REPO, { defaultBranch: branch });
    const admin = new Octokit({
      baseUrl: gh.url,
      auth: gh.tokens.create({ kind: 'user', login: 'octo-admin' }),
    });
    for (const [path, text] of Object.entries(files)) {
      await admin.rest.repos.createOrUpdateFileContents({
        owner: 'acme',
        repo: 'access',
        path,
        message: `jit init: ${path}`,
        content: Buffer.from(text).toString('base64'),
      });
    }
    const installation = setUp(branch);

    // The request workflow init wrote runs in jit-request: doctor misses that environment.
    const environments = gh.state.repo(REPO).settings.environments;
    const requestEnvironment = environments.get('jit-request')!;
    environments.delete('jit-request');
    const missing = await jit(['doctor', '--repo', REPO, '--api-url', gh.url, '--json'], dir, {
      GITHUB_TOKEN: gh.tokens.create(DOCTOR_TOKEN),
    });
    expect(JSON.parse(missing.stdout).findings.map((f: { id: string }) => f.id)).toEqual([
      'request-environment-missing',
    ]);
    environments.set('jit-request', requestEnvironment);

    // 8. Doctor, with the App's installation checked too: nothing to fix.
    const doctor = await jit(
      ['doctor', '--repo', REPO, '--api-url', gh.url, '--app-id', String(installation.app.id)],
      dir,
      {
        GITHUB_TOKEN: gh.tokens.create(DOCTOR_TOKEN),
        JIT_APP_PRIVATE_KEY: installation.app.privateKey,
      },
    );
    expect(doctor.stdout).toContain('ok: nothing found that would let a grant through unreviewed');
    expect(doctor.code).toBe(0);

    // A first request, against the generated config as it stands (its example account is this one).
    const pr = gh.state.openPullRequest(REPO, {
      author: 'octocat',
      headFiles: {
        'requests/octocat-look.yaml':
          'requester: octocat\naccount: prod\nprofile: readonly\nduration: 2h\nreason: Look at the instances after the failed deploy.\n',
      },
    });
    const comments = () => gh.state.comments.filter((c) => c.issueNumber === pr.number);
    const checked = await runWorkflow({
      gh,
      aws,
      repo: REPO,
      workflowPath: '.github/workflows/request.yml',
      event: {
        name: 'pull_request_target',
        payload: pullRequestEvent(gh, REPO, pr.number, 'opened'),
      },
      installation,
    });
    expect(checked.stdout).not.toContain('::error');
    expect(checked.outputs.valid).toBe('true');
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toContain('ec2:Describe*');

    // The approver team approves; it is merged.
    gh.state.review(REPO, pr.number, { user: 'sre-bob', state: 'APPROVED' });
    aws.clock.advance(60_000);
    gh.state.merge(REPO, pr.number, { by: 'sre-bob' });
    aws.clock.advance(30_000);

    const allowed = () =>
      aws.authorize({ principalArn: OCTOCAT, action: 'ec2:DescribeInstances', resource: '*' });
    expect(allowed()).toBe('denied');
    const granted = await runWorkflow({
      gh,
      aws,
      repo: REPO,
      workflowPath: '.github/workflows/grant.yml',
      event: {
        name: 'push',
        payload: {
          ref: `refs/heads/${branch}`,
          repository: { default_branch: branch, full_name: REPO },
        },
      },
      installation,
    });
    expect(granted.stdout).not.toContain('::error');
    expect(granted.code).toBe(0);
    const grants = JSON.parse(granted.outputs.granted ?? '[]') as { expiry: string }[];
    expect(grants).toHaveLength(1);
    expect(allowed()).toBe('allowed');
    expect(comments().some((c) => c.body.includes('granted'))).toBe(true);

    // Past expiry IAM denies; the hourly sweep removes the grant and tells the PR.
    aws.clock.set(new Date(new Date(grants[0]!.expiry).getTime() + 1000));
    expect(allowed()).toBe('denied');
    const revoked = await runWorkflow({
      gh,
      aws,
      repo: REPO,
      workflowPath: '.github/workflows/revoke.yml',
      event: {
        name: 'schedule',
        payload: scheduleEvent(gh, REPO, '17 * * * *', '.github/workflows/revoke.yml'),
      },
      installation,
    });
    expect(revoked.stdout).not.toContain('::error');
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.outputs.revoked ?? '[]')).toEqual([
      expect.objectContaining({ request: 'octocat-look', reason: 'expired' }),
    ]);
    expect(comments().some((c) => c.body.includes('expired and removed'))).toBe(true);
  },
);
