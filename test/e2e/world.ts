import { IAMClient, ListPoliciesCommand } from '@aws-sdk/client-iam';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../../emulators/aws/clock.js';
import type { Installation } from '../../emulators/github/apps.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import { pullRequestEvent, scheduleEvent } from '../../emulators/github/events.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.js';
import { runAction, type ActionRun } from '../actions/runner.js';
import { installRole } from '../../src/demo/template.js';
import { protectDecisionLog } from '../../src/demo/world.js';
import { role } from '../deploy/template.js';

export const REPO = 'acme/access';
/** The GitHub App grant.yml and revoke.yml act as. */
export const APP_SLUG = 'jit-access';
export const ACCOUNT = '123456789012';
export const T0 = new Date('2026-11-25T09:00:00Z');
export const OCTOCAT_ARN = `arn:aws:iam::${ACCOUNT}:user/people/octocat`;

/** The organisation config of the world: one account, whose broker role is the deploy/ one. */
export const CONFIG = `version: 1
defaults: { maxDuration: 8h, approvals: 1, runbook: runbooks/requester-context.yaml }
accounts:
  prod:
    id: "${ACCOUNT}"
    brokerRole: arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-broker
    runbookRole: arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-runbook
    regions: [eu-west-1]
principals:
  octocat: { prod: ${OCTOCAT_ARN} }
  mallory: { prod: arn:aws:iam::${ACCOUNT}:user/people/mallory }
profiles:
  s3-logs-read:
    description: Read the prod log bucket.
    statements:
      - actions: [s3:GetObject, s3:ListBucket]
        resources: ["arn:aws:s3:::acme-prod-logs", "arn:aws:s3:::acme-prod-logs/*"]
    maxDuration: 4h
    approvals: 1
    approvers: [acme/sre]
custom: { allowed: false, approvals: 2, approvers: [acme/security], maxDuration: 1h }
denyActions: [organizations:*]
highRisk: { policy: extra-approval, extraApprovals: 1 }
ticket: { required: false }
`;

export interface World {
  aws: AwsEmulator;
  gh: GitHubEmulator;
  workspace: string;
  /** request.yml's GITHUB_TOKEN. */
  token: string;
  /** The jit-access App's installation, which grant.yml and revoke.yml mint a token from. */
  installation: Installation;
  close(): Promise<void>;
}

/**
 * GitHub and AWS as the actions meet them: the access repository with its config, a team of
 * approvers, and an AWS account set up from `deploy/jit-access.yaml` (the OIDC provider, the
 * broker role with the template's own trust and permission policies), plus the people.
 */
export async function world(
  opts: { config?: string; files?: Record<string, string> } = {},
): Promise<World> {
  const config = opts.config ?? CONFIG;
  const aws = await startAwsEmulator({ clock: new Clock(T0) });
  const gh = await startGitHubEmulator({ clock: () => aws.clock.now() });
  gh.state.addRepo(REPO, { files: { 'jit.config.yaml': config, ...opts.files } });
  gh.state.addTeamMember('acme/sre', 'sre-bob');
  gh.state.addTeamMember('acme/sre', 'sre-carol');
  gh.state.setCollaborator(REPO, 'sre-bob', 'write');

  const provider = aws.state.addOidcProvider({ url: gh.oidc.issuer.issuer });
  const params = {
    GitHubOrg: 'acme',
    GitHubRepo: 'access',
    GitHubRepositoryId: String(gh.state.repo(REPO).id),
    PrincipalPathPrefix: '/people/',
    'AWS::AccountId': ACCOUNT,
    'AWS::Partition': 'aws',
  };
  // The template's own roles; the emulator's issuer stands in for GitHub's.
  installRole(aws.state, role('BrokerRole', params), provider.url);
  installRole(aws.state, role('RunbookRole', params), provider.url);
  aws.state.addUser({ name: 'octocat', path: '/people/' });
  aws.state.addUser({ name: 'mallory', path: '/people/' });

  const workspace = await mkdtemp(join(tmpdir(), 'jit-e2e-'));
  await writeFile(join(workspace, 'jit.config.yaml'), config);
  // The base-branch checkout holds the organisation's runbook next to the config.
  await mkdir(join(workspace, 'runbooks'));
  await copyFile(
    'runbooks/requester-context.yaml',
    join(workspace, 'runbooks/requester-context.yaml'),
  );
  const token = gh.tokens.create({
    kind: 'github-token',
    permissions: { contents: 'read', pull_requests: 'write' },
  });
  const installation = gh.apps.install(gh.apps.register(APP_SLUG), {
    account: 'acme',
    repositories: [REPO],
    permissions: { contents: 'write', pull_requests: 'write', issues: 'write', members: 'read' },
  });
  // Only the App may write the decision log branch, as the README's setup has it.
  protectDecisionLog(gh, REPO, installation.app.id);
  return {
    aws,
    gh,
    workspace,
    token,
    installation,
    close: async () => {
      await gh.close();
      await aws.close();
    },
  };
}

/** Runs an action the way its workflow does, with that workflow's OIDC identity. */
export function run(
  w: World,
  name: 'request' | 'grant' | 'revoke',
  event: { payload: unknown; name: string },
  oidc?: { workflowPath: string; environment?: string },
  job: { inputs?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ActionRun> {
  const idToken = oidc
    ? w.gh.oidc.runEnv({
        repository: REPO,
        eventName: event.name,
        workflowPath: oidc.workflowPath,
        ...(oidc.environment ? { environment: oidc.environment } : {}),
      })
    : {};
  return runAction(name, {
    event: event.payload,
    eventName: event.name,
    repository: REPO,
    apiUrl: w.gh.url,
    // Each grant and revoke run mints its own installation token, as create-github-app-token does.
    inputs:
      name === 'request'
        ? { 'github-token': w.token, config: 'jit.config.yaml', ...job.inputs }
        : {
            'github-token': w.gh.apps.mint(w.installation).token,
            'comment-author': `${APP_SLUG}[bot]`,
            config: 'jit.config.yaml',
            ...job.inputs,
          },
    workspace: w.workspace,
    now: w.aws.clock.now(),
    ...(job.timeoutMs === undefined ? {} : { timeoutMs: job.timeoutMs }),
    env: {
      ...idToken,
      AWS_ENDPOINT_URL: w.aws.url,
      AWS_REGION: 'us-east-1',
      // No ambient AWS credentials: the only way in is the OIDC exchange.
      AWS_EC2_METADATA_DISABLED: 'true',
      GITHUB_RUN_ID: '4242',
    },
  });
}

export const prOpened = (w: World, number: number) => ({
  payload: pullRequestEvent(w.gh, REPO, number, 'opened'),
  name: 'pull_request_target',
});
export const pushed = () => ({
  payload: { ref: 'refs/heads/main', repository: { default_branch: 'main', full_name: REPO } },
  name: 'push',
});
export const scheduled = (w: World) => ({
  payload: scheduleEvent(w.gh, REPO, '*/10 * * * *', '.github/workflows/revoke.yml'),
  name: 'schedule',
});

export const requestFile = (requester = 'octocat', duration = '2h') =>
  `requester: ${requester}\naccount: prod\nprofile: s3-logs-read\nduration: ${duration}\nreason: Investigate the failed nightly export from INC-4211.\n`;

/** The OIDC identities of the two workflows that hold the broker role. */
export const GRANT = { workflowPath: '.github/workflows/grant.yml', environment: 'jit-grant' };
export const REVOKE = { workflowPath: '.github/workflows/revoke.yml', environment: 'jit-grant' };

/** The `/jit/` policies in the account, as an administrator sees them. */
export async function jitPolicies(w: World) {
  const iam = new IAMClient(w.aws.clientConfig());
  const page = await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/jit/' }));
  return page.Policies ?? [];
}
