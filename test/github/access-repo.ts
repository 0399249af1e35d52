import { Octokit } from '@octokit/rest';
import type { ApprovalRule } from '../../src/domain.js';
import { judgeEligibility, type Eligibility } from '../../src/github/eligibility.js';
import { fetchPrFacts, type PrFacts } from '../../src/github/pr-facts.js';
import { TeamMemberships } from '../../src/github/teams.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.js';
import type { PullRequestInit } from '../../emulators/github/state.js';

export const REPO = 'acme/access';
export const repo = { owner: 'acme', repo: 'access' };
export const REQUEST = 'requests/alice-logs.yaml';
export const RULE: ApprovalRule = { required: 1, approvers: ['acme/platform'] };

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * The access repository as a grant finds it: config, workflows, CODEOWNERS and one earlier
 * request on main; bob and carol active in acme/platform, dave only invited. The clock moves a
 * second per reading so reviews have distinct, ordered timestamps as on GitHub.
 */
export async function accessRepo(): Promise<GitHubEmulator> {
  let tick = Date.parse('2026-03-01T10:00:00Z');
  const emu = await startGitHubEmulator({ clock: () => new Date((tick += 1000)) });
  const s = emu.state;
  s.addRepo(REPO, {
    files: {
      'jit.config.yaml': 'version: 1\n',
      '.github/CODEOWNERS': 'requests/ @acme/platform\n',
      '.github/workflows/grant.yml': 'on: push\n',
      'requests/README.md': '# Requests\n',
      'requests/old-request.yaml': 'requester: alice\n',
    },
  });
  s.addTeamMember('acme/platform', 'bob');
  s.addTeamMember('acme/platform', 'carol');
  s.addTeamMember('acme/platform', 'dave', { state: 'pending' });
  s.setCollaborator(REPO, 'bob', 'maintain');
  return emu;
}

/** Alice's PR adding her request (plus `extra` changes); returns its number. */
export function openRequest(emu: GitHubEmulator, extra: Partial<PullRequestInit> = {}): number {
  return emu.state.openPullRequest(REPO, {
    author: 'alice',
    title: 'Request: read prod logs',
    ...extra,
    headFiles: { [REQUEST]: 'requester: alice\n', ...extra.headFiles },
  }).number;
}

/** A token with what the grant workflow's app token holds. */
export function grantOctokit(emu: GitHubEmulator): Octokit {
  const auth = emu.tokens.create({
    kind: 'installation',
    app: 'jit-access',
    permissions: { pull_requests: 'read', contents: 'read', members: 'read' },
  });
  return new Octokit({ baseUrl: emu.url, auth, log: quiet });
}

export interface Judgement extends Eligibility {
  facts: PrFacts;
}

/** What the grant action decides about PR `number`, all through the REST API. */
export async function judge(
  emu: GitHubEmulator,
  number: number,
  over: { rule?: ApprovalRule; requester?: string; requestPath?: string } = {},
): Promise<Judgement> {
  const octokit = grantOctokit(emu);
  const facts = await fetchPrFacts(octokit, repo, number);
  const rule = over.rule ?? RULE;
  const reviewers = facts.reviews.flatMap((r) => (r.login ? [r.login] : []));
  const isMember = await new TeamMemberships(octokit).oracle(rule.approvers, reviewers);
  return {
    facts,
    ...judgeEligibility(facts, {
      defaultBranch: facts.defaultBranch,
      requestPath: over.requestPath ?? REQUEST,
      requester: over.requester ?? 'alice',
      rule,
      isMember,
    }),
  };
}
