import type { Octokit } from '@octokit/rest';
import { gitBlobSha, readArchive } from '../github/archive.js';
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
 * make the report half old, half new). The records come from the commit's tarball in one
 * request; each is taken only when its content hashes to the blob sha the tree lists, and any
 * other (left out or rewritten by a `.gitattributes`, or an archive that could not be read) is
 * read on its own, `concurrency` at a time. Its protection is checked and reported, not
 * required: an auditor wants to see an unprotected log, warned.
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
  const blobs = tree.tree.flatMap((e) =>
    e.type === 'blob' && e.path && e.sha && parseRecordPath(e.path)
      ? [{ path: e.path, sha: e.sha }]
      : [],
  );
  const archived =
    blobs.length > 0 ? await readArchive(octokit, repo, commit).catch(() => undefined) : undefined;
  const records: RawRecord[] = new Array<RawRecord>(blobs.length);
  const unread: number[] = [];
  blobs.forEach(({ path, sha }, i) => {
    const bytes = archived?.get(path);
    if (bytes && gitBlobSha(bytes) === sha) records[i] = { path, text: bytes.toString('utf8') };
    else unread.push(i);
  });
  let next = 0;
  const worker = async () => {
    while (next < unread.length) {
      const i = unread[next++]!;
      const path = blobs[i]!.path;
      const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref: commit });
      const text =
        !Array.isArray(data) && data.type === 'file' && 'content' in data
          ? Buffer.from(data.content, 'base64').toString('utf8')
          : '';
      records[i] = { path, text };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, unread.length) }, worker));
  return { commit, records, missingRules };
}
