/**
 * The template's trust policies, through the STS emulator over HTTP, with tokens from the GitHub
 * emulator's OIDC issuer: the broker roles (IAM, and Identity Center from
 * deploy/jit-access-identity-center.yaml) answer only the grant and revoke workflows on main in
 * the jit-grant environment, the runbook role only the request workflow on main. Every other
 * way a workflow can get a token from this organisation is refused.
 */
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import type { RunContext } from '../../emulators/github/oidc/claims.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.js';
import { installRole } from '../../src/demo/template.js';
import { ACCOUNT, IC_PARAMS, identityCenterBroker, role } from './template.js';

const REPO = 'acme/access';
const OTHER = 'acme/other';
const T0 = new Date('2026-11-25T09:00:00Z');
const AUDIENCE = 'sts.amazonaws.com';
const ROLES = {
  broker: `arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-broker`,
  runbook: `arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-runbook`,
  icBroker: `arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-identity-center-broker`,
} as const;
/** The two roles the grant and revoke workflows assume: one trust, held equal below. */
const BROKERS = ['broker', 'icBroker'] as const;
type RoleName = keyof typeof ROLES;

const workflow = (name: string, ref = 'refs/heads/main', repo = REPO) =>
  `${repo}/.github/workflows/${name}@${ref}`;

let aws: AwsEmulator;
let gh: GitHubEmulator;
let repositoryId: number;

/**
 * An account set up from the template, the emulator's issuer standing in for GitHub's (as in
 * test/e2e/world.ts), trusting `acme/access` by its repository id.
 */
beforeEach(async () => {
  aws = await startAwsEmulator({ clock: new Clock(T0) });
  gh = await startGitHubEmulator({ clock: () => aws.clock.now() });
  const repo = gh.state.addRepo(REPO, { files: { 'jit.config.yaml': 'version: 1\n' } });
  repositoryId = repo.id;
  gh.state.addBranch(REPO, 'feature');
  gh.state.addRepo(OTHER, { files: { 'README.md': '# other\n' } });
  // The provider also lists a second audience, so a token for it reaches the trust policy.
  const provider = aws.state.addOidcProvider({
    url: gh.oidc.issuer.issuer,
    audiences: [AUDIENCE, 'https://github.com/acme'],
  });
  for (const logicalId of ['BrokerRole', 'RunbookRole'] as const) {
    const template = role(logicalId, {
      GitHubOrg: 'acme',
      GitHubRepo: 'access',
      GitHubRepositoryId: String(repo.id),
      PrincipalPathPrefix: '/people/',
      'AWS::AccountId': ACCOUNT,
      'AWS::Partition': 'aws',
    });
    installRole(aws.state, template, provider.url);
  }
  installRole(
    aws.state,
    identityCenterBroker({ ...IC_PARAMS, GitHubRepositoryId: String(repo.id) }),
    provider.url,
  );
});
afterEach(async () => {
  await gh.close();
  await aws.close();
});

/** The STS outcome for a token of this run: 'accepted' or the error code STS answers. */
async function assume(roleName: RoleName, ctx: RunContext, audience = AUDIENCE): Promise<string> {
  const sts = new STSClient({ endpoint: aws.url, region: 'us-east-1', maxAttempts: 1 });
  try {
    await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: ROLES[roleName],
        RoleSessionName: 'trust-test',
        WebIdentityToken: await gh.oidc.mint(ctx, audience),
      }),
    );
    return 'accepted';
  } catch (e) {
    return (e as { name: string }).name;
  } finally {
    sts.destroy();
  }
}

const GRANT: RunContext = {
  repository: REPO,
  eventName: 'push',
  workflowPath: '.github/workflows/grant.yml',
  environment: 'jit-grant',
};
const REVOKE: RunContext = {
  repository: REPO,
  eventName: 'schedule',
  workflowPath: '.github/workflows/revoke.yml',
  environment: 'jit-grant',
};
const REQUEST: RunContext = {
  repository: REPO,
  eventName: 'pull_request_target',
  workflowPath: '.github/workflows/request.yml',
  baseRef: 'main',
  headRef: 'alice/logs',
  // The review App's key and the notification URL live there (decision 031).
  environment: 'jit-request',
};
/** A PR's merge ref has no branch in the emulator; its commit is given directly. */
const prMerge = (): Pick<RunContext, 'ref' | 'sha'> => ({
  ref: 'refs/pull/7/merge',
  sha: gh.state.resolveRef(REPO, 'feature').sha,
});

/**
 * Re-creates the access repository with GitHub's immutable subjects (`repo:acme@1/access@2:…`),
 * the default for repositories created or renamed since 2026-07-15; same id unless given.
 */
const immutableSubjects = (id = repositoryId) =>
  gh.state.addRepo(REPO, { id, immutableOidcSubject: true, files: { 'jit.config.yaml': '' } });

describe('accepted: the reviewed workflows on main', () => {
  describe.each(BROKERS)('%s', (broker) => {
    test.each([
      ['grant.yml on a push to main', GRANT],
      ['grant.yml dispatched on main', { ...GRANT, eventName: 'workflow_dispatch' }],
      ['revoke.yml on schedule', REVOKE],
      ['revoke.yml on a /revoke comment', { ...REVOKE, eventName: 'issue_comment' }],
    ])('%s in jit-grant', async (_, ctx) => {
      expect(await assume(broker, ctx)).toBe('accepted');
    });

    test.each([
      ['grant.yml', GRANT],
      ['revoke.yml', REVOKE],
    ])('%s in jit-grant, for a repository with immutable subjects', async (_, ctx) => {
      immutableSubjects();
      expect(await assume(broker, ctx)).toBe('accepted');
    });
  });

  // GitHub's docs say a pull request event gives `repo:…:pull_request`; the emulator gives
  // pull_request_target the ref subject. The runbook trust pins no subject, so both pass.
  test.each([
    ['as the emulator issues it', {}],
    ['with the pull_request subject', { claims: { sub: `repo:${REPO}:pull_request` } }],
    ['outside the jit-request environment', { environment: undefined }],
  ])('runbook: request.yml on main via pull_request_target, %s', async (_, extra) => {
    expect(await assume('runbook', { ...REQUEST, ...extra })).toBe('accepted');
  });
});

/** Runs that must never get the broker role. */
const BROKER_REFUSED: [string, () => RunContext][] = [
  ['grant.yml in another repository of the owner', () => ({ ...GRANT, repository: OTHER })],
  [
    'a push to another branch',
    () => ({ ...GRANT, ref: 'refs/heads/feature', environment: undefined }),
  ],
  [
    'the jit-grant environment used from a non-main branch',
    () => ({ ...GRANT, ref: 'refs/heads/feature' }),
  ],
  ['grant.yml without its environment', () => ({ ...GRANT, environment: undefined })],
  [
    'a pull_request run of grant.yml',
    () => ({ ...GRANT, eventName: 'pull_request', ...prMerge(), environment: undefined }),
  ],
  [
    'a pull_request run in jit-grant',
    () => ({ ...GRANT, eventName: 'pull_request', ...prMerge() }),
  ],
  ['the request workflow (pull_request_target)', () => REQUEST],
  [
    'request.yml (pull_request_target) in jit-grant',
    () => ({ ...REQUEST, environment: 'jit-grant' }),
  ],
  [
    'another workflow on main in jit-grant',
    () => ({ ...GRANT, workflowPath: '.github/workflows/evil.yml' }),
  ],
  [
    'grant.yml called as a reusable workflow from another repository',
    () => ({
      ...GRANT,
      repository: OTHER,
      workflowPath: '.github/workflows/caller.yml',
      jobWorkflowRef: workflow('grant.yml'),
    }),
  ],
  [
    "another repository's reusable workflow called from main in jit-grant",
    () => ({ ...GRANT, jobWorkflowRef: workflow('deploy.yml', 'refs/heads/main', 'evil/tools') }),
  ],
  [
    'grant.yml@main called as a reusable workflow from a branch',
    () => ({
      ...GRANT,
      ref: 'refs/heads/feature',
      workflowPath: '.github/workflows/caller.yml',
      jobWorkflowRef: workflow('grant.yml'),
    }),
  ],
];

/** Runs that must never get the runbook role. */
const RUNBOOK_REFUSED: [string, () => RunContext][] = [
  ['request.yml in another repository of the owner', () => ({ ...REQUEST, repository: OTHER })],
  [
    'request.yml from another branch',
    () => ({ ...REQUEST, eventName: 'push', ref: 'refs/heads/feature' }),
  ],
  [
    "a pull_request run of the PR's own request.yml",
    () => ({ ...REQUEST, eventName: 'pull_request', ...prMerge() }),
  ],
  ['another workflow on main', () => ({ ...REQUEST, workflowPath: '.github/workflows/evil.yml' })],
  ['the grant workflow', () => GRANT],
  [
    'request.yml called as a reusable workflow from another repository',
    () => ({
      ...REQUEST,
      repository: OTHER,
      workflowPath: '.github/workflows/caller.yml',
      jobWorkflowRef: workflow('request.yml'),
    }),
  ],
  [
    'request.yml@main called as a reusable workflow from a branch',
    () => ({
      ...REQUEST,
      eventName: 'push',
      ref: 'refs/heads/feature',
      workflowPath: '.github/workflows/caller.yml',
      jobWorkflowRef: workflow('request.yml'),
    }),
  ],
];

describe('refused: AccessDenied', () => {
  describe.each(BROKERS)('%s', (broker) => {
    test.each(BROKER_REFUSED)('%s', async (_, ctx) => {
      expect(await assume(broker, ctx())).toBe('AccessDenied');
    });
  });

  test.each(RUNBOOK_REFUSED)('runbook: %s', async (_, ctx) => {
    expect(await assume('runbook', ctx())).toBe('AccessDenied');
  });

  test.each([...BROKERS, 'runbook'] as const)(
    '%s: a token for another audience the provider accepts',
    async (roleName) => {
      const ctx = roleName === 'runbook' ? REQUEST : GRANT;
      expect(await assume(roleName, ctx, 'https://github.com/acme')).toBe('AccessDenied');
    },
  );

  test.each([...BROKERS, 'runbook'] as const)(
    '%s: the repository deleted and re-created under the same name (new repository_id)',
    async (roleName) => {
      gh.state.addRepo(REPO, { files: { 'jit.config.yaml': 'version: 1\n' } });
      expect(await assume(roleName, roleName === 'runbook' ? REQUEST : GRANT)).toBe('AccessDenied');
    },
  );
});

test.each(BROKERS)(
  '%s: a re-created repository with immutable subjects is refused',
  async (broker) => {
    immutableSubjects(repositoryId + 1);
    expect(await assume(broker, GRANT)).toBe('AccessDenied');
  },
);

test('the Identity Center broker is trusted exactly as the IAM broker', () => {
  expect(identityCenterBroker().Properties.AssumeRolePolicyDocument).toEqual(
    role('BrokerRole').Properties.AssumeRolePolicyDocument,
  );
});

test('a token for an audience the provider does not list is not a valid identity token', async () => {
  expect(await assume('broker', GRANT, 'https://example.com')).toBe(
    'InvalidIdentityTokenException',
  );
});
