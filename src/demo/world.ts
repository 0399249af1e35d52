import type { JitConfig } from '../domain.js';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.js';
import { installRole, templateRole } from './template.js';

/** The access repository the demo's workflows run in; the template's trust names it too. */
export const REPO = { owner: 'acme', repo: 'access' };
export const REPO_NAME = `${REPO.owner}/${REPO.repo}`;
/** The jit-access GitHub App the grant and revoke workflows act as. */
export const JIT_APP = { id: 424242, slug: 'jit-access' };
/** Who the actions comment as. */
export const BOT = `${JIT_APP.slug}[bot]`;

/**
 * The ruleset that makes the decision log trustworthy, as the README's setup creates it: nobody
 * but the App may create, update, force-push or delete the `jit-log` branch.
 */
export function protectDecisionLog(gh: GitHubEmulator, fullName: string, appId: number): void {
  gh.state.addRuleset(fullName, {
    name: 'jit-access decision log',
    conditions: { ref_name: { include: ['refs/heads/jit-log'], exclude: [] } },
    rules: [
      { type: 'creation' },
      { type: 'update' },
      { type: 'deletion' },
      { type: 'non_fast_forward' },
    ],
    bypass_actors: [{ actor_id: appId, actor_type: 'Integration', bypass_mode: 'always' }],
  });
}

export interface DemoWorld {
  aws: AwsEmulator;
  gh: GitHubEmulator;
  /** The jit-access App's installation token. */
  token: string;
  /** A member of each approver team the config names: team -> login. */
  reviewers: Map<string, string>;
  close(): Promise<void>;
}

/**
 * Both emulators on free loopback ports with one clock, seeded as an organisation that has
 * adopted jit-access: the access repository holding the config, a reviewer in every approver
 * team, and in every configured account what `deploy/jit-access.yaml` creates (the OIDC
 * provider and the broker role) plus the principals that can receive grants.
 */
export async function startDemoWorld(input: {
  config: JitConfig;
  configText: string;
  templateText: string;
  start: Date;
}): Promise<DemoWorld> {
  const aws = await startAwsEmulator({ clock: new Clock(input.start) });
  const gh = await startGitHubEmulator({ clock: () => aws.clock.now() });
  const world = {
    aws,
    gh,
    close: async () => {
      await gh.close();
      await aws.close();
    },
  };
  try {
    const token = gh.tokens.create({
      kind: 'installation',
      app: JIT_APP.slug,
      appId: JIT_APP.id,
      permissions: { contents: 'write', pull_requests: 'write', issues: 'write', members: 'read' },
    });
    const reviewers = seedGitHub(gh, input.config, input.configText);
    protectDecisionLog(gh, REPO_NAME, JIT_APP.id);
    seedAccounts(world, input.config, input.templateText);
    return { ...world, token, reviewers };
  } catch (e) {
    await world.close();
    throw e;
  }
}

function seedGitHub(gh: GitHubEmulator, config: JitConfig, configText: string) {
  gh.state.addRepo(REPO_NAME, { files: { 'jit.config.yaml': configText } });
  const teams = new Set([
    ...Object.values(config.profiles).flatMap((p) => p.approvers),
    ...config.custom.approvers,
  ]);
  const reviewers = new Map<string, string>();
  for (const team of teams) {
    const login = `${team.slice(team.indexOf('/') + 1)}-reviewer`;
    gh.state.addTeamMember(team, login);
    reviewers.set(team, login);
  }
  return reviewers;
}

function seedAccounts(
  world: { aws: AwsEmulator; gh: GitHubEmulator },
  config: JitConfig,
  templateText: string,
) {
  const { aws, gh } = world;
  for (const account of Object.values(config.accounts)) {
    const provider = aws.state.addOidcProvider({
      accountId: account.id,
      url: gh.oidc.issuer.issuer,
    });
    const broker = templateRole(templateText, 'BrokerRole', {
      GitHubOrg: REPO.owner,
      GitHubRepo: REPO.repo,
      GitHubRepositoryId: String(gh.state.repo(REPO_NAME).id),
      PrincipalPathPrefix: '/people/',
      'AWS::AccountId': account.id,
      'AWS::Partition': 'aws',
    });
    // The template trusts GitHub's real issuer; the emulator's issuer stands in for it.
    installRole(aws.state, broker, provider.url, account.id);
  }
  for (const arn of Object.values(config.principals).flatMap((byAccount) =>
    Object.values(byAccount),
  )) {
    seedPrincipal(aws, arn);
  }
}

/** A user or role named by a principal ARN; the same person may appear in several accounts. */
function seedPrincipal(aws: AwsEmulator, arn: string) {
  const m = /^arn:aws:iam::(\d{12}):(user|role)(\/(?:.*\/)?)([^/]+)$/.exec(arn);
  if (!m) return;
  const [, accountId, kind, path, name] = m as unknown as [string, string, string, string, string];
  if (aws.state.entity(kind as 'user' | 'role', accountId, name)) return;
  if (kind === 'user') {
    aws.state.addUser({ accountId, name, path });
    return;
  }
  aws.state.addRole({
    accountId,
    name,
    path,
    // People assume their role from elsewhere in the organisation; who exactly is not the point.
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: 'sts:AssumeRole',
        },
      ],
    },
  });
}
