/**
 * Reading the decision log for an audit, against the GitHub emulator: the records come from one
 * tarball of the log commit instead of one contents request each, and a record the archive does
 * not hold as the tree does (left out by a `.gitattributes`) is still read, on its own.
 */
import { Octokit } from '@octokit/rest';
import { readDecisionLog } from '../../src/audit/read-log.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.js';
import { grantedRecord, logOf } from './records.js';

const REPO = 'acme/access';
const T = Date.parse('2026-11-10T09:00:00Z');
const N = 60;

let gh: GitHubEmulator;
beforeEach(async () => {
  gh = await startGitHubEmulator({ clock: () => new Date(T) });
  gh.state.addRepo(REPO, { files: { 'jit.config.yaml': 'version: 1\n' } });
});
afterEach(() => gh.close());

/** The log branch with `N` granted records (PRs 1..N), plus `extra` files. */
function seedLog(extra: Record<string, string> = {}) {
  const files = logOf(Array.from({ length: N }, (_, i) => grantedRecord(i + 1, T + i * 60_000)));
  gh.state.addBranch(REPO, 'jit-log');
  gh.state.commitToBranch(REPO, 'jit-log', {
    ...Object.fromEntries(files.map((f) => [f.path, f.text])),
    ...extra,
  });
  return files;
}

/** A client that counts the REST requests it makes. */
function counted() {
  const octokit = new Octokit({
    baseUrl: gh.url,
    auth: gh.tokens.create({ kind: 'github-token', permissions: { contents: 'read' } }),
  });
  const calls: string[] = [];
  octokit.hook.before(
    'request',
    (o) => void calls.push(`${o.method} ${o.url} ${String(o.path ?? '')}`),
  );
  return { octokit, calls };
}

test(`${N} records cost a constant number of requests, not one each, and read the same`, async () => {
  const files = seedLog();
  const { octokit, calls } = counted();
  const snapshot = await readDecisionLog(octokit, { owner: 'acme', repo: 'access' }, 'jit-log');
  expect(snapshot.records).toEqual(files.sort((a, b) => a.path.localeCompare(b.path)));
  // Branch rules, the ref, the tree and the tarball: N + 3 before the tarball.
  expect(calls).toHaveLength(4);
});

test('a record an export-ignore leaves out of the archive is read on its own', async () => {
  const files = seedLog({ '.gitattributes': 'pr/7/** export-ignore\n' });
  const { octokit, calls } = counted();
  const snapshot = await readDecisionLog(octokit, { owner: 'acme', repo: 'access' }, 'jit-log');
  expect(snapshot.records.map((r) => r.path)).toEqual(files.map((f) => f.path).sort());
  expect(snapshot.records.find((r) => r.path.startsWith('pr/7/'))?.text).toBe(
    files.find((f) => f.path.startsWith('pr/7/'))?.text,
  );
  expect(calls.filter((c) => c.includes('/contents/'))).toEqual([
    expect.stringMatching(/\/contents\/\{path\} pr\/7\//),
  ]);
});
