import { Octokit } from '@octokit/rest';
import type { TokenInit } from '../../../emulators/github/auth.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../../emulators/github/server.js';

export const REPO = 'acme/access';
export const [OWNER, NAME] = ['acme', 'access'] as const;
export const repo = { owner: OWNER, repo: NAME };

/** A fixed clock so timestamps in responses are predictable. */
export const T0 = new Date('2026-03-01T10:00:00Z');

/**
 * The access repository with one request PR (#1 by alice, approved by bob), a platform team and
 * the files a grant reads.
 */
export async function world(now: () => Date = () => T0): Promise<GitHubEmulator> {
  const emu = await startGitHubEmulator({ clock: now });
  const s = emu.state;
  s.addRepo(REPO, {
    files: { 'jit.config.yaml': 'accounts: {}\n', 'requests/README.md': '# Requests\n' },
  });
  s.addTeamMember('acme/platform', 'bob');
  s.addTeamMember('acme/platform', 'carol', { state: 'pending' });
  s.setCollaborator(REPO, 'bob', 'maintain');
  s.openPullRequest(REPO, {
    author: 'alice',
    title: 'Request: read prod logs',
    body: 'Need to debug INC-42',
    headRef: 'alice/logs',
    headFiles: { 'requests/alice-logs.yaml': 'account: prod\nduration: 2h\n' },
  });
  s.review(REPO, 1, { user: 'bob', state: 'APPROVED' });
  return emu;
}

export const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** An organisation owner's fine-grained token: every permission, for tests of route behaviour. */
const ADMIN: TokenInit = { kind: 'user', login: 'octo-admin' };

/** A real Octokit against the emulator, with a fresh token; expected errors are not logged. */
export function octokit(emu: GitHubEmulator, init: TokenInit = ADMIN): Octokit {
  return new Octokit({ baseUrl: emu.url, auth: emu.tokens.create(init), log: quiet });
}

/** The status of a failed Octokit call, or 'ok' when it succeeded. */
export async function statusOf(p: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return (e as { status: number }).status;
  }
}
