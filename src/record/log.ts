import type { Octokit } from '@octokit/rest';
import { createHash } from 'node:crypto';
import type { RepoRef } from '../github/pull-request.js';
import { hasStatus } from '../github/status.js';
import { LogIndex } from './index.js';
import { parseRecordPath, recordPath, type DecisionRecord } from './record.js';

/** The branch the decision log lives on. */
export const DECISION_LOG_BRANCH = 'jit-log';

/**
 * The rules an active ruleset must impose on the log branch for its records to be trusted: nobody
 * but the ruleset's bypass actor (the jit-access App) may create, move, rewrite or delete it.
 */
export const DECISION_LOG_RULES = ['creation', 'update', 'deletion', 'non_fast_forward'] as const;

/** The log cannot be trusted or read: nothing may be granted on its word. */
export class DecisionLogError extends Error {
  constructor(
    readonly code: 'DECISION_LOG_UNPROTECTED' | 'DECISION_LOG_TRUNCATED',
    message: string,
  ) {
    super(message);
  }
}

const README = `# jit-access decision log

Written only by the jit-access GitHub App: one JSON file per decision under \`pr/<number>/\`.
A repository ruleset forbids anyone else to create, update, force-push or delete this branch.
`;

/**
 * The append-only decision log on a protected branch. Opening it checks the branch's rules
 * first: a log anyone could write is refused outright rather than trusted.
 */
export class DecisionLog {
  private constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
    readonly index: LogIndex,
    private exists: boolean,
    private readonly branch: string,
  ) {}

  static async open(
    octokit: Octokit,
    repo: RepoRef,
    branch = DECISION_LOG_BRANCH,
  ): Promise<DecisionLog> {
    const rules = await octokit.paginate(octokit.rest.repos.getBranchRules, {
      ...repo,
      branch,
      per_page: 100,
    });
    const types = new Set(rules.map((r) => r.type));
    const missing = DECISION_LOG_RULES.filter((t) => !types.has(t));
    if (missing.length > 0) {
      throw new DecisionLogError(
        'DECISION_LOG_UNPROTECTED',
        `the decision log branch ${branch} is not protected by an active ruleset with the rules ${missing.join(', ')}: anyone with write access could rewrite what was granted or revoked, so nothing is done until it is (run jit doctor)`,
      );
    }
    try {
      const { data } = await octokit.rest.git.getTree({
        ...repo,
        tree_sha: branch,
        recursive: '1',
      });
      if (data.truncated) {
        throw new DecisionLogError(
          'DECISION_LOG_TRUNCATED',
          `the decision log on ${branch} has more entries than GitHub lists in one tree; archive old records before more can be decided`,
        );
      }
      const paths = data.tree.flatMap((e) => (e.type === 'blob' && e.path ? [e.path] : []));
      return new DecisionLog(octokit, repo, new LogIndex(paths), true, branch);
    } catch (e) {
      if (!hasStatus(e, 404) && !hasStatus(e, 409)) throw e;
      return new DecisionLog(octokit, repo, new LogIndex([]), false, branch);
    }
  }

  /**
   * Appends one record as a new file (never an update: a path that exists is a 422, so two
   * writers cannot overwrite each other; the loser takes the next sequence number).
   */
  async append(record: DecisionRecord): Promise<string> {
    if (!this.exists) await this.create();
    for (let attempt = 0; ; attempt++) {
      const seq = this.index.nextSeq(record.pr) + attempt;
      const path = recordPath(record, seq);
      try {
        await this.octokit.rest.repos.createOrUpdateFileContents({
          ...this.repo,
          path,
          branch: this.branch,
          message: `PR #${record.pr}: ${record.kind}${record.requestId ? ` ${record.requestId}` : ''}`,
          content: Buffer.from(`${JSON.stringify(record, null, 2)}\n`).toString('base64'),
        });
        this.index.add(parseRecordPath(path)!);
        return path;
      } catch (e) {
        // 422: that sequence number was taken by a concurrent run; 409: the branch moved under us.
        if (attempt >= 4 || !(hasStatus(e, 422) || hasStatus(e, 409))) throw e;
      }
    }
  }

  /** The branch starts as an orphan commit holding only a README, so it shares no history. */
  private async create(): Promise<void> {
    const { data: tree } = await this.octokit.rest.git.createTree({
      ...this.repo,
      tree: [{ path: 'README.md', mode: '100644', type: 'blob', content: README }],
    });
    const { data: commit } = await this.octokit.rest.git.createCommit({
      ...this.repo,
      message: 'jit-access decision log',
      tree: tree.sha,
      parents: [],
    });
    try {
      await this.octokit.rest.git.createRef({
        ...this.repo,
        ref: `refs/heads/${this.branch}`,
        sha: commit.sha,
      });
    } catch (e) {
      // Another run created it first: fine, append on top of theirs.
      if (!hasStatus(e, 422)) throw e;
    }
    this.exists = true;
  }
}

/** SHA-256 of a policy document as IAM received it, for the record. */
export const documentSha256 = (json: string): string =>
  createHash('sha256').update(json).digest('hex');
