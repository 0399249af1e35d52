import type { Octokit } from '@octokit/rest';
import type { RepoRef } from '../github/pull-request.js';
import { hasStatus } from '../github/status.js';
import { DECISION_LOG_RULES } from '../record/log.js';
import { parseRecordPath } from '../record/record.js';
import type { RawRecord } from './audit.js';

/** The whole decision log as one commit of it holds it. */
export interface LogSnapshot {
  /** The log commit read; undefined when the branch does not exist (nothing decided yet). */
  commit?: string;
  records: RawRecord[];
  /** Rules the branch lacks for its records to be trusted (empty when it is protected). */
  missingRules: string[];
}

export class LogReadError extends Error {
  constructor(
    readonly code: 'DECISION_LOG_TRUNCATED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads every record on the log branch at one commit (so a sweep appending meanwhile cannot
 * make the report half old, half new), `concurrency` file reads at a time. Its protection is
 * checked and reported, not required: an auditor wants to see an unprotected log, warned.
 */
export async function readDecisionLog(
  octokit: Octokit,
  repo: RepoRef,
  branch: string,
  concurrency = 8,
): Promise<LogSnapshot> {
  const rules = await octokit
    .paginate(octokit.rest.repos.getBranchRules, { ...repo, branch, per_page: 100 })
    .catch((e: unknown) => {
      if (hasStatus(e, 404)) return [];
      throw e;
    });
  const types = new Set(rules.map((r) => r.type));
  const missingRules = DECISION_LOG_RULES.filter((t) => !types.has(t));
  let commit: string;
  try {
    const { data } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
    commit = data.object.sha;
  } catch (e) {
    if (hasStatus(e, 404) || hasStatus(e, 409)) return { records: [], missingRules };
    throw e;
  }
  const { data: tree } = await octokit.rest.git.getTree({
    ...repo,
    tree_sha: commit,
    recursive: '1',
  });
  if (tree.truncated)
    throw new LogReadError(
      'DECISION_LOG_TRUNCATED',
      `the decision log on ${branch} has more entries than GitHub lists in one tree; archive old records first`,
    );
  const paths = tree.tree.flatMap((e) =>
    e.type === 'blob' && e.path && parseRecordPath(e.path) ? [e.path] : [],
  );
  const records: RawRecord[] = new Array<RawRecord>(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      const path = paths[i]!;
      const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref: commit });
      const text =
        !Array.isArray(data) && data.type === 'file' && 'content' in data
          ? Buffer.from(data.content, 'base64').toString('utf8')
          : '';
      records[i] = { path, text };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return { commit, records, missingRules };
}
