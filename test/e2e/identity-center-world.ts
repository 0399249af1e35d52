import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator } from '../../emulators/aws/server.js';
import { startGitHubEmulator } from '../../emulators/github/server.js';
import { installRole } from '../../src/demo/template.js';
import { protectDecisionLog } from '../../src/demo/world.js';
import { identityCenterBroker, role } from '../deploy/template.js';
import type { ActionRun } from '../actions/runner.js';
import { APP_SLUG, REPO, T0, requestFile, run, type World } from './world.js';

/** The organisation's management account: it owns the Identity Center instance (the emulator's default). */
export const MANAGEMENT = '123456789012';
/** The workload account permission sets are assigned in. */
export const MEMBER = '210987654321';
export const IC_BROKER = `arn:aws:iam::${MANAGEMENT}:role/jit-access/jit-access-identity-center-broker`;
/** A permission set the organisation made by hand: never the broker's to read or change. */
export const FOREIGN_SET = 'AdministratorAccess';
export const LOG_OBJECT = 'arn:aws:s3:::acme-prod-logs/2026/11/24/export.log';

/** The Identity Center user a GitHub login signs in as. */
export const ssoUser = (login: string): string => `${login}@acme.example`;

export function identityCenterConfig(opts: {
  instanceArn: string;
  identityStoreId: string;
  logins: string[];
}): string {
  return `version: 1
defaults: { maxDuration: 8h, approvals: 1, runbook: runbooks/requester-context.yaml }
accounts:
  prod:
    id: "${MEMBER}"
    brokerRole: arn:aws:iam::${MEMBER}:role/jit-access/jit-access-broker
    regions: [eu-west-1]
    backend: identity-center
# Required by the schema even when every account grants through Identity Center.
principals: {}
identityCenter:
  instanceArn: ${opts.instanceArn}
  identityStoreId: ${opts.identityStoreId}
  region: us-east-1
  brokerRole: ${IC_BROKER}
  users:
${opts.logins.map((l) => `    ${l}: ${ssoUser(l)}`).join('\n')}
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
}

export interface IdentityCenterWorld extends World {
  config: string;
  logins: string[];
}

/**
 * GitHub and AWS for the Identity Center backend: the access repository whose config grants in
 * `prod` through Identity Center, the instance in the management account with a user per login
 * and a hand-made permission set, the broker above trusted through GitHub OIDC, the member
 * account with deploy/jit-access.yaml's broker (the sweep still reads its IAM), the decision
 * log's ruleset and the App installation grant and revoke mint their tokens from.
 */
export async function identityCenterWorld(
  opts: { logins?: string[] } = {},
): Promise<IdentityCenterWorld> {
  const logins = opts.logins ?? ['octocat', 'mallory'];
  const aws = await startAwsEmulator({ clock: new Clock(T0) });
  const gh = await startGitHubEmulator({ clock: () => aws.clock.now() });
  const ic = aws.identityCenter;
  if (ic.ownerAccountId !== MANAGEMENT)
    throw new Error('the instance is not the management account');
  // Requests end on their own, as AWS's do, once emulator time passes (it runs during runs).
  ic.completion.afterMs = 400;
  aws.state.addAccount(MEMBER);
  for (const login of logins) ic.addUser({ userName: ssoUser(login) });
  ic.createPermissionSet({ name: FOREIGN_SET, sessionDuration: 'PT1H' });

  const config = identityCenterConfig({
    instanceArn: ic.instanceArn,
    identityStoreId: ic.identityStoreId,
    logins,
  });
  gh.state.addRepo(REPO, { files: { 'jit.config.yaml': config } });
  gh.state.addTeamMember('acme/sre', 'sre-bob');
  gh.state.addTeamMember('acme/sre', 'sre-carol');
  gh.state.setCollaborator(REPO, 'sre-bob', 'write');

  const params = (account: string) => ({
    GitHubOrg: 'acme',
    GitHubRepo: 'access',
    GitHubRepositoryId: String(gh.state.repo(REPO).id),
    PrincipalPathPrefix: '/people/',
    'AWS::AccountId': account,
    'AWS::Partition': 'aws',
  });
  const issuer = gh.oidc.issuer.issuer;
  const provider = aws.state.addOidcProvider({ accountId: MANAGEMENT, url: issuer });
  // The broker exactly as deploy/jit-access-identity-center.yaml creates it.
  const broker = identityCenterBroker({
    ...params(MANAGEMENT),
    IdentityCenterInstanceId: ic.instanceArn.split('/').at(-1)!,
    IdentityStoreId: ic.identityStoreArn.split('/').at(-1)!,
    ManagementAccountId: MANAGEMENT,
    AllowedAccountIds: [MEMBER],
  });
  installRole(aws.state, broker, provider.url, MANAGEMENT);
  aws.state.addOidcProvider({ accountId: MEMBER, url: issuer });
  installRole(aws.state, role('BrokerRole', params(MEMBER)), provider.url, MEMBER);

  const workspace = await mkdtemp(join(tmpdir(), 'jit-e2e-ic-'));
  await writeFile(join(workspace, 'jit.config.yaml'), config);
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
  protectDecisionLog(gh, REPO, installation.app.id);
  return {
    aws,
    gh,
    workspace,
    token,
    installation,
    config,
    logins,
    close: async () => {
      await gh.close();
      await aws.close();
    },
  };
}

/**
 * An action run during which AWS time passes as real time does (Identity Center finishes its
 * requests meanwhile); time stands still again afterwards, so tests judge access at set times.
 */
export async function runLive(...args: Parameters<typeof run>): Promise<ActionRun> {
  const clock = args[0].aws.clock;
  clock.runFrom(clock.now());
  try {
    return await run(...args);
  } finally {
    clock.set(clock.now());
  }
}

/** What Identity Center holds for jit-access, read from the emulator's state (no call, no fault). */
export function identityCenterState(w: World) {
  const ic = w.aws.identityCenter;
  const sets = [...ic.permissionSets.values()].filter((ps) => ps.name !== FOREIGN_SET);
  return {
    sets: sets.map((ps) => ({
      arn: ps.arn,
      name: ps.name,
      tags: Object.fromEntries(ps.tags.map((t) => [t.Key, t.Value])),
      inlinePolicy: ps.inlinePolicy,
    })),
    assignments: ic.assignments.filter((a) => a.permissionSetArn !== foreignArn(w)),
    /** Permission sets with an AWSReservedSSO role in the member account. */
    provisioned: ic.provisionedTo(MEMBER).filter((arn) => arn !== foreignArn(w)),
  };
}

const foreignArn = (w: World): string | undefined =>
  [...w.aws.identityCenter.permissionSets.values()].find((ps) => ps.name === FOREIGN_SET)?.arn;

/** Would a session of the user's reserved role for this permission set read the log object now? */
export function ssoSession(w: World, login: string, permissionSet: string) {
  const session = w.aws.identityCenter.openSession({
    userName: ssoUser(login),
    accountId: MEMBER,
    permissionSet,
  });
  return (action = 's3:GetObject', resource = LOG_OBJECT) =>
    w.aws.authorize({ principalArn: session.identity.arn, action, resource });
}

/** Request PRs, each approved by an SRE on its final commit, all merged at the same instant. */
export function mergeAll(w: World, requests: { login: string; id: string }[]): number[] {
  const prs = requests.map(({ login, id }) => {
    const pr = w.gh.state.openPullRequest(REPO, {
      author: login,
      headFiles: { [`requests/${id}.yaml`]: requestFile(login) },
    });
    w.gh.state.review(REPO, pr.number, { user: 'sre-bob', state: 'APPROVED' });
    return pr.number;
  });
  w.aws.clock.advance(60_000);
  for (const pr of prs) w.gh.state.merge(REPO, pr, { by: 'sre-bob' });
  w.aws.clock.advance(30_000);
  return prs;
}

/** The kinds of the decision log's records for a PR, in order, read from the log branch. */
export const recordsOf = (w: World, pr: number): string[] =>
  [...w.gh.state.resolveRef(REPO, 'jit-log').files.keys()]
    .filter((p) => p.startsWith(`pr/${pr}/`))
    .sort()
    .map((p) => /-([a-z-]+?)(?:-c\d+)?\.json$/.exec(p)![1]!);
