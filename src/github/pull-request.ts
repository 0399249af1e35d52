import type { Octokit } from '@octokit/rest';
import { decodeUtf8 } from '../text/decode.js';
import { hasStatus } from './status.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface ChangedFile {
  filename: string;
  status: string;
  previousFilename?: string;
}

export async function listChangedFiles(
  octokit: Octokit,
  repo: RepoRef,
  pullNumber: number,
): Promise<ChangedFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    ...repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return files.map((f) => ({
    filename: f.filename,
    status: f.status,
    ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
  }));
}

/** Largest file read through the API; request files are capped far below this. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * A file's bytes at a commit, read as data through the contents API (PR code is never checked
 * out next to credentials). Undefined when the file does not exist there.
 */
export async function readBytesAt(
  octokit: Octokit,
  repo: RepoRef,
  path: string,
  ref: string,
): Promise<Uint8Array | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) {
      throw new Error(`${path} at ${ref} is not a file`);
    }
    if (data.size > MAX_FILE_BYTES) throw new Error(`${path} at ${ref} is over 1 MiB`);
    return Buffer.from(data.content, 'base64');
  } catch (e) {
    if (hasStatus(e, 404)) return undefined;
    throw e;
  }
}

/** A file's text at a commit (see readBytesAt); a file that is not UTF-8 is an error. */
export async function readFileAt(
  octokit: Octokit,
  repo: RepoRef,
  path: string,
  ref: string,
): Promise<string | undefined> {
  const bytes = await readBytesAt(octokit, repo, path, ref);
  if (bytes === undefined) return undefined;
  const text = decodeUtf8(bytes);
  if (!text.ok) throw new Error(`${path} at ${ref}: ${text.problems[0]!.message}`);
  return text.value;
}
