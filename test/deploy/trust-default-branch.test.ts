/**
 * An access repository whose default branch is not main (`jit init --default-branch trunk`):
 * deployed with GitHubDefaultBranch=trunk, the brokers and the runbook role answer the workflows
 * on trunk and refuse the same workflows on main; deployed without it, they keep trusting main.
 */
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import type { RunContext } from '../../emulators/github/oidc/claims.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.js';
import { installRole } from '../../src/demo/template.js';
import { ACCOUNT, IC_PARAMS, identityCenterBroker, role } from './template.js';

const REPO = 'acme/access';
const ROLES = {
  broker: `arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-broker`,
  runbook: `arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-runbook`,
  icBroker: `arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-identity-center-broker`,
} as const;

let aws: AwsEmulator;
let gh: GitHubEmulator;

async function deploy(branch?: string) {
  aws = await startAwsEmulator({ clock: new Clock(new Date('2026-11-25T09:00:00Z')) });
  gh = await startGitHubEmulator({ clock: () => aws.clock.now() });
  const repo = gh.state.addRepo(REPO, { defaultBranch: 'trunk', files: { 'x.txt': '' } });
  gh.state.addBranch(REPO, 'main');
  const provider = aws.state.addOidcProvider({ url: gh.oidc.issuer.issuer });
  const params = {
    GitHubOrg: 'acme',
    GitHubRepo: 'access',
    GitHubRepositoryId: String(repo.id),
    PrincipalPathPrefix: '/people/',
    'AWS::AccountId': ACCOUNT,
    'AWS::Partition': 'aws',
    ...(branch === undefined ? {} : { GitHubDefaultBranch: branch }),
  };
  installRole(aws.state, role('BrokerRole', params), provider.url);
  installRole(aws.state, role('RunbookRole', params), provider.url);
  installRole(aws.state, identityCenterBroker({ ...IC_PARAMS, ...params }), provider.url);
}
afterEach(async () => {
  await gh.close();
  await aws.close();
});

async function assume(roleName: keyof typeof ROLES, ctx: RunContext): Promise<string> {
  const sts = new STSClient({ endpoint: aws.url, region: 'us-east-1', maxAttempts: 1 });
  try {
    await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: ROLES[roleName],
        RoleSessionName: 'trust-test',
        WebIdentityToken: await gh.oidc.mint(ctx, 'sts.amazonaws.com'),
      }),
    );
    return 'accepted';
  } catch (e) {
    return (e as { name: string }).name;
  } finally {
    sts.destroy();
  }
}

const run = (role: keyof typeof ROLES, branch: string): RunContext =>
  role === 'runbook'
    ? {
        repository: REPO,
        eventName: 'pull_request_target',
        workflowPath: '.github/workflows/request.yml',
        ref: `refs/heads/${branch}`,
        baseRef: branch,
        headRef: 'alice/logs',
      }
    : {
        repository: REPO,
        eventName: 'push',
        workflowPath: '.github/workflows/grant.yml',
        ref: `refs/heads/${branch}`,
        environment: 'jit-grant',
      };

test.each(['broker', 'icBroker', 'runbook'] as const)(
  '%s deployed for trunk: trunk accepted, main refused',
  async (name) => {
    await deploy('trunk');
    expect(await assume(name, run(name, 'trunk'))).toBe('accepted');
    expect(await assume(name, run(name, 'main'))).toBe('AccessDenied');
  },
);

test.each(['broker', 'icBroker', 'runbook'] as const)(
  '%s deployed without the parameter: main, as before',
  async (name) => {
    await deploy();
    expect(await assume(name, run(name, 'main'))).toBe('accepted');
    expect(await assume(name, run(name, 'trunk'))).toBe('AccessDenied');
  },
);
