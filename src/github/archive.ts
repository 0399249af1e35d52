import type { Octokit } from '@octokit/rest';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { RepoRef } from './pull-request.js';

/** Past this, an archive is not unpacked in memory: the caller reads file by file instead. */
const MAX_UNPACKED = 256 * 1024 * 1024;

/**
 * Every file of a commit in one request: the repository's tarball (GitHub's `git archive`),
 * by path without its `<owner>-<repo>-<sha>/` top directory. An archive is not the tree: a
 * `.gitattributes` can leave files out (`export-ignore`) or rewrite them (`export-subst`), so
 * a caller checks each file against the tree's blob sha (`gitBlobSha`) before trusting it.
 */
export async function readArchive(
  octokit: Octokit,
  repo: RepoRef,
  commit: string,
): Promise<Map<string, Buffer>> {
  const { data } = await octokit.rest.repos.downloadTarballArchive({ ...repo, ref: commit });
  const tar = gunzipSync(Buffer.from(data as ArrayBuffer), { maxOutputLength: MAX_UNPACKED });
  return untar(tar);
}

/** Git's id of a file's content: what a tree listing names each blob by. */
export const gitBlobSha = (bytes: Uint8Array): string =>
  createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');

/** The regular files of a ustar/pax archive, by path less its first component. */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let paxPath: string | undefined;
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(text(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const data = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1];
      continue;
    }
    if (type !== '0' && type !== '\0') {
      paxPath = undefined;
      continue;
    }
    const prefix = text(header, 345, 155);
    const path = paxPath ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    paxPath = undefined;
    files.set(path.slice(path.indexOf('/') + 1), Buffer.from(data));
  }
  return files;
}

const text = (header: Buffer, start: number, length: number): string => {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
};
