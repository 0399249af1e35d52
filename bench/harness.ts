/**
 * A world for scale and fault runs of the grant and revoke reconcilers, in process: the real
 * `@octokit/rest` and `@aws-sdk/client-iam` clients over HTTP to the emulators, the broker role
 * from `deploy/jit-access.yaml` (its permission policy authorises every IAM call), reached
 * through GitHub OIDC → STS `AssumeRoleWithWebIdentity`. The adapter loops of
 * `actions/grant` and `actions/revoke` (comment each decision) are emulated around the core.
 *
 * Shared by `test/scale/*.test.ts` (through ts-jest) and `bench/grants.ts` (compiled to `lib/`).
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Octokit } from '@octokit/rest';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { Clock } from '../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../emulators/aws/server.js';
import type { Role } from '../emulators/aws/state.js';
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/server.js';
import type { Account, JitConfig } from '../src/domain.js';
import { reconcileGrants, type GrantDecision } from '../src/grant/reconcile.js';
import { upsertStickyComment } from '../src/github/sticky-comment.js';
import { renderGrantComment } from '../src/report/grant-comment.js';
import { renderRevokeComment } from '../src/report/revoke-comment.js';
import { parseConfig } from '../src/request/parse-config.js';
import { sweepGrants, type RevokeDecision } from '../src/revoke/sweep.js';
import { installRole } from '../src/demo/template.js';
import { JIT_APP, protectDecisionLog } from '../src/demo/world.js';
import { DecisionLog } from '../src/record/log.js';
import { role } from '../test/deploy/template.js';

export const REPO = 'acme/access';
export const REPO_REF = { owner: 'acme', repo: 'access' };
export const ACCOUNT = '123456789012';
export const T0 = new Date('2026-11-25T09:00:00Z');
/** Grant and revoke act as the jit-access GitHub App (GITHUB_TOKEN cannot read teams). */
export const BOT = `${JIT_APP.slug}[bot]`;
export const APPROVER = 'sre-bob';
/** IAM attaches at most 10 managed policies to a user (a quota that cannot be raised past 20). */
export const MAX_PER_USER = 10;

export const userName = (i: number): string => `user${String(i).padStart(4, '0')}`;
export const userArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:user/people/${name}`;

/** The organisation config: one account, one profile, and a principal per user. */
export function configText(users: string[]): string {
  return `version: 1
defaults: { maxDuration: 8h, approvals: 1, runbook: runbooks/requester-activity.yaml }
accounts:
  prod:
    id: "${ACCOUNT}"
    brokerRole: arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-broker
    regions: [eu-west-1]
principals:
${users.map((u) => `  ${u}: { prod: ${userArn(u)} }`).join('\n')}
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

export const requestFile = (requester: string, duration = '2h'): string =>
  `requester: ${requester}\naccount: prod\nprofile: s3-logs-read\nduration: ${duration}\nreason: Investigate the failed nightly export from INC-4211.\n`;

/** The SDK's own retry loop (3 attempts, the SDK default) with 5 ms backoff: faults cost no time. */
export const fastRetries = (attempts = 3) => ({
  retryStrategy: new ConfiguredRetryStrategy(attempts, () => 5),
});

interface BrokerCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface ScaleWorld {
  aws: AwsEmulator;
  gh: GitHubEmulator;
  octokit: Octokit;
  config: JitConfig;
  account: Account;
  broker: Role;
  users: string[];
  /** The broker's IAM client, renewed through OIDC → STS when its session nears expiry. */
  iamFor: (account: Account) => Promise<IAMClient>;
  /** REST calls the workflow token has made so far. */
  githubCalls(): number;
  close(): Promise<void>;
}

export async function scaleWorld(opts: {
  users: number;
  retryAttempts?: number;
}): Promise<ScaleWorld> {
  const aws = await startAwsEmulator({ clock: new Clock(T0) });
  const gh = await startGitHubEmulator({ clock: () => aws.clock.now() });
  const users = Array.from({ length: opts.users }, (_, i) => userName(i + 1));
  const text = configText(users);
  const parsed = parseConfig(text, 'jit.config.yaml');
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  const config = parsed.value;
  const account = config.accounts.prod!;

  gh.state.addRepo(REPO, { files: { 'jit.config.yaml': text } });
  gh.state.addTeamMember('acme/sre', APPROVER);
  gh.state.setCollaborator(REPO, APPROVER, 'write');
  // The rate limit is not what these runs measure: they count the calls instead.
  protectDecisionLog(gh, REPO, JIT_APP.id);
  const token = gh.tokens.create({
    kind: 'installation',
    app: JIT_APP.slug,
    appId: JIT_APP.id,
    permissions: { contents: 'write', pull_requests: 'write', issues: 'write', members: 'read' },
    rateLimit: Number.MAX_SAFE_INTEGER,
  });

  const provider = aws.state.addOidcProvider({ url: gh.oidc.issuer.issuer });
  const template = role('BrokerRole', {
    GitHubOrg: 'acme',
    GitHubRepo: 'access',
    GitHubRepositoryId: String(gh.state.repo(REPO).id),
    PrincipalPathPrefix: '/people/',
    'AWS::AccountId': ACCOUNT,
    'AWS::Partition': 'aws',
  });
  // The template trusts GitHub's real issuer; the emulator's issuer stands in for it.
  const broker = installRole(aws.state, template, provider.url);
  for (const u of users) aws.state.addUser({ name: u, path: '/people/' });

  const octokit = new Octokit({ auth: token, baseUrl: gh.url });
  const retries = fastRetries(opts.retryAttempts);
  let session: { credentials: Promise<BrokerCredentials>; expires: number } | undefined;
  const brokerCredentials = async (): Promise<BrokerCredentials> => {
    // The grant workflow's identity, as the trust policy demands it.
    const idToken = await gh.oidc.mint(
      {
        repository: REPO,
        eventName: 'push',
        workflowPath: '.github/workflows/grant.yml',
        environment: 'jit-grant',
      },
      'sts.amazonaws.com',
    );
    const sts = new STSClient({ ...aws.clientConfig(), ...retries });
    const { Credentials: c } = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: account.brokerRole,
        RoleSessionName: 'jit-scale',
        WebIdentityToken: idToken,
        DurationSeconds: 3600,
      }),
    );
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('no session');
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    };
  };

  return {
    aws,
    gh,
    octokit,
    config,
    account,
    broker,
    users,
    // As `accountClients` does: one STS exchange per account and run (renewed here when the
    // test clock nears its expiry), and a new client (so its own retry quota) per call.
    iamFor: async (acc) => {
      if (acc.id !== ACCOUNT) throw new Error(`no broker in ${acc.id}`);
      const now = aws.clock.now().getTime();
      if (!session || session.expires - now < 5 * 60_000) {
        const credentials = brokerCredentials();
        session = { credentials, expires: now + 3600_000 };
        // A failed exchange is tried again by the next caller, as accountClients does.
        credentials.catch(() => (session = undefined));
      }
      return new IAMClient({ ...aws.clientConfig(await session.credentials), ...retries });
    },
    githubCalls: () => gh.tokens.lookup(`token ${token}`)?.requests ?? 0,
    close: async () => {
      await gh.close();
      await aws.close();
    },
  };
}

/**
 * Request PRs, each approved by an SRE on its final commit and merged at the same instant.
 * Returns the PR numbers, in the order given.
 */
export function mergeRequests(w: ScaleWorld, requests: { user: string; id: string }[]): number[] {
  const prs = requests.map(({ user, id }) => {
    const pr = w.gh.state.openPullRequest(REPO, {
      author: user,
      headFiles: { [`requests/${id}.yaml`]: requestFile(user) },
    });
    w.gh.state.review(REPO, pr.number, { user: APPROVER, state: 'APPROVED' });
    return pr.number;
  });
  w.aws.clock.advance(60_000);
  for (const pr of prs) w.gh.state.merge(REPO, pr, { by: APPROVER });
  // The push workflow starts half a minute later; each window runs from its merge.
  w.aws.clock.advance(30_000);
  return prs;
}

/** `count` requests spread over users, at most `perUser` each (IAM's attachment quota). */
export function requestsFor(
  w: ScaleWorld,
  count: number,
  perUser = MAX_PER_USER,
  prefix = 'r',
): { user: string; id: string }[] {
  if (count > w.users.length * perUser) throw new Error(`${count} grants need more users`);
  return Array.from({ length: count }, (_, i) => {
    const user = w.users[Math.floor(i / perUser)]!;
    return { user, id: `${user}-${prefix}${i}` };
  });
}

export interface GrantRunResult {
  decisions: GrantDecision[];
  /** Decisions an AWS failure delayed (the next run retries them): never refusals. */
  awsDelays: GrantDecision[];
}

/**
 * One run of the grant action, in process: the reconciler, then the adapter's loop commenting
 * each decision. `commentOnly` emulates an adapter that died (GitHub failure) after commenting
 * that many decisions: IAM is ahead of GitHub, and the next run must converge.
 */
export async function grantRun(
  w: ScaleWorld,
  opts: { commentOnly?: number } = {},
): Promise<GrantRunResult> {
  const decisions = await reconcileGrants({
    octokit: w.octokit,
    repo: REPO_REF,
    defaultBranch: 'main',
    config: w.config,
    now: w.aws.clock.now(),
    log: await DecisionLog.open(w.octokit, REPO_REF),
    iamFor: w.iamFor,
  });
  const limit = opts.commentOnly ?? decisions.length;
  for (const d of decisions.slice(0, limit)) {
    await upsertStickyComment(
      w.octokit,
      { ...REPO_REF, issueNumber: d.pr, author: BOT },
      'grant',
      renderGrantComment(d),
    );
  }
  return {
    decisions,
    awsDelays: decisions.filter((d) => d.kind === 'delayed' && d.code === 'AWS_ERROR'),
  };
}

/** One run of the revoke sweep with the adapter's comment per revoked grant (no usage report). */
export async function sweepRun(
  w: ScaleWorld,
  opts: { comment?: boolean } = {},
): Promise<RevokeDecision[]> {
  const decisions = await sweepGrants({
    config: w.config,
    now: w.aws.clock.now(),
    iamFor: w.iamFor,
  });
  if (opts.comment ?? true) {
    for (const d of decisions) {
      if (d.kind !== 'revoked') continue;
      const pr = Number(d.policy.tags['jit:pr']);
      if (!Number.isInteger(pr) || pr <= 0) continue;
      await upsertStickyComment(
        w.octokit,
        { ...REPO_REF, issueNumber: pr, author: BOT },
        'revoke',
        renderRevokeComment(d, undefined),
      );
    }
  }
  return decisions;
}

/**
 * Injects `rate` faults on every AWS call, split evenly between throttling, 5xx and a response
 * dropped after the change was applied, from a seeded generator.
 */
export function injectFaults(w: ScaleWorld, rate: number, seed: number): void {
  w.aws.faults.clear();
  w.aws.faults.seed(seed);
  const each = 1 - Math.pow(1 - rate, 1 / 3);
  for (const kind of ['throttle', '5xx', 'drop-after-apply'] as const)
    w.aws.faults.inject({ kind, rate: each });
}

/** What IAM holds under `/jit/`, read from the emulator's state (no API call, no fault). */
export interface JitSnapshot {
  /** Policy name → its tags and the ARNs of the entities it is attached to. */
  policies: Map<string, { arn: string; tags: Record<string, string>; attachedTo: string[] }>;
  /** Entity ARN → how many times each /jit/ policy appears in its attachment list. */
  attachments: Map<string, Map<string, number>>;
}

export function jitSnapshot(w: ScaleWorld): JitSnapshot {
  const policies: JitSnapshot['policies'] = new Map();
  for (const p of w.aws.state.policies.values()) {
    if (p.path !== '/jit/') continue;
    policies.set(p.name, {
      arn: p.arn,
      tags: Object.fromEntries(p.tags.map((t) => [t.Key, t.Value])),
      attachedTo: [...p.attachments],
    });
  }
  const attachments: JitSnapshot['attachments'] = new Map();
  for (const user of w.users) {
    const entity = w.aws.state.entity('user', ACCOUNT, user);
    if (!entity) continue;
    const counts = new Map<string, number>();
    for (const arn of entity.attached)
      if (arn.includes(':policy/jit/')) counts.set(arn, (counts.get(arn) ?? 0) + 1);
    attachments.set(entity.arn, counts);
  }
  return { policies, attachments };
}

/** AWS calls recorded by CloudTrail from `since` (an index into its events), by name. */
export function awsCallsSince(w: ScaleWorld, since: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of w.aws.state.cloudtrail.events.slice(since))
    counts.set(e.eventName, (counts.get(e.eventName) ?? 0) + 1);
  return counts;
}

export const total = (counts: Map<string, number>, except: string[] = []): number =>
  [...counts].filter(([name]) => !except.includes(name)).reduce((n, [, c]) => n + c, 0);
