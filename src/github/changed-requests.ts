import type { Problem } from '../problem.js';
import type { ChangedFile } from './pull-request.js';

/**
 * A request file: `requests/<id>.yaml`, one level deep, with the id rule of `AccessRequest.id`.
 * Anything else under `requests/` (the README, `.yml`, nested paths, odd names) is not a request.
 */
export const REQUEST_FILE = /^requests\/[a-z0-9][a-z0-9-]{2,63}\.yaml$/;

/** A change that adds a request file: the only kind of change a grant is made from. */
export const addsRequest = (f: ChangedFile): boolean =>
  f.status === 'added' && REQUEST_FILE.test(f.filename);

/** `requests/<id>.yaml` → `<id>`, for a path REQUEST_FILE accepted. */
export const requestIdOf = (file: string): string =>
  file.slice('requests/'.length, -'.yaml'.length);

export interface PullRequestChanges {
  /** Request files this PR adds: the only change a grant accepts. */
  added: string[];
  /** Why this PR cannot lead to a grant, one problem per offending file. */
  problems: Problem[];
}

const blocking = (file: string, message: string): Problem => ({
  path: '',
  file,
  severity: 'error',
  code: 'PR_CHANGES_OTHER_FILES',
  message,
});

/**
 * Sorts a PR's changed files the way the grant action will judge them: it grants only for a PR
 * that adds request files and touches nothing else, so the request check says so up front.
 */
export function classifyChanges(files: ChangedFile[]): PullRequestChanges {
  const added: string[] = [];
  const problems: Problem[] = [];
  for (const f of files) {
    const isRequest = REQUEST_FILE.test(f.filename);
    if (isRequest && f.status === 'added') {
      added.push(f.filename);
    } else if (isRequest || (f.previousFilename && REQUEST_FILE.test(f.previousFilename))) {
      problems.push(
        blocking(
          f.filename,
          `${f.status} an existing request: requests are immutable once merged; add a new request file instead`,
        ),
      );
    } else if (f.filename.startsWith('requests/')) {
      problems.push(
        blocking(
          f.filename,
          `${f.status} ${f.filename}: not a request file; a request is requests/<id>.yaml, the id 3 to 64 lowercase letters, digits and hyphens`,
        ),
      );
    } else {
      problems.push(
        blocking(
          f.filename,
          `${f.status} ${f.filename}: a request PR may only add files under requests/; the grant action refuses any PR that changes anything else`,
        ),
      );
    }
  }
  return { added, problems };
}
