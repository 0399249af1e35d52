import type { Problem } from '../problem.js';
import type { ChangedFile } from './pull-request.js';

/** A request file: `requests/<id>.yaml`, one level deep. The README is documentation. */
const REQUEST_FILE = /^requests\/[^/]+$/;
const NOT_A_REQUEST = new Set(['requests/README.md']);

export interface PullRequestChanges {
  /** Request files this PR adds: the only change a grant accepts. */
  added: string[];
  /** Why this PR cannot lead to a grant, one problem per offending file. */
  problems: Problem[];
}

/**
 * Sorts a PR's changed files the way the grant action will judge them: it grants only for a PR
 * that adds request files and touches nothing else, so the request check says so up front.
 */
export function classifyChanges(files: ChangedFile[]): PullRequestChanges {
  const added: string[] = [];
  const problems: Problem[] = [];
  for (const f of files) {
    const isRequest = REQUEST_FILE.test(f.filename) && !NOT_A_REQUEST.has(f.filename);
    if (isRequest && f.status === 'added') {
      added.push(f.filename);
    } else if (isRequest || (f.previousFilename && REQUEST_FILE.test(f.previousFilename))) {
      problems.push({
        path: '',
        file: f.filename,
        severity: 'error',
        message: `${f.status} an existing request: requests are immutable once merged; add a new request file instead`,
      });
    } else {
      problems.push({
        path: '',
        file: f.filename,
        severity: 'error',
        message: `${f.status} ${f.filename}: a request PR may only add files under requests/; the grant action refuses any PR that changes anything else`,
      });
    }
  }
  return { added, problems };
}
