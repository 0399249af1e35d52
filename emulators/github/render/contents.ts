import { createHash } from 'node:crypto';
import { toBytes, type Commit, type FileInput, type SpecialEntry } from '../state.js';
import { WEB } from './users.js';

/** Git's blob id of the bytes (text as UTF-8), so the same content has the same sha, as in git. */
export function blobSha(content: FileInput): string {
  const bytes = toBytes(content);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

interface Place {
  base: string;
  fullName: string;
  ref: string;
}

function links(
  place: Place,
  path: string,
  type: 'file' | 'dir',
  sha: string,
): Record<string, unknown> {
  const url = `${place.base}/repos/${place.fullName}/contents/${path}?ref=${encodeURIComponent(place.ref)}`;
  const git = `${place.base}/repos/${place.fullName}/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`;
  const html = `${WEB}/${place.fullName}/${type === 'file' ? 'blob' : 'tree'}/${place.ref}/${path}`;
  return { url, git_url: git, html_url: html, _links: { self: url, git, html } };
}

/**
 * GitHub's `content-file`: the raw bytes base64-encoded in 60-column lines, as GitHub sends them,
 * never re-encoded as text: https://docs.github.com/en/rest/repos/contents#get-repository-content
 */
export function contentFile(place: Place, path: string, bytes: Buffer): Record<string, unknown> {
  const sha = blobSha(bytes);
  const size = bytes.length;
  // Files over 1 MB come without their content, `encoding: "none"` (same page).
  const inline = size <= 1024 * 1024;
  const encoded = inline ? bytes.toString('base64') : '';
  return {
    type: 'file',
    encoding: inline ? 'base64' : 'none',
    size,
    name: path.split('/').pop(),
    path,
    content: encoded.replace(/.{60}/g, '$&\n'),
    sha,
    ...links(place, path, 'file', sha),
    download_url: `https://raw.githubusercontent.com/${place.fullName}/${place.ref}/${path}`,
  };
}

/** GitHub's `content-directory`: the direct children of `dir` in a commit, files and dirs. */
export function contentDirectory(
  place: Place,
  commit: Commit,
  dir: string,
): Record<string, unknown>[] {
  const prefix = dir === '' ? '' : `${dir}/`;
  const children = new Map<string, 'file' | 'dir'>();
  for (const path of commit.files.keys()) {
    if (!path.startsWith(prefix)) continue;
    const [name, ...rest] = path.slice(prefix.length).split('/');
    if (name) children.set(name, rest.length > 0 ? 'dir' : 'file');
  }
  return [...children.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, type]) => {
      const path = `${prefix}${name}`;
      const bytes = commit.files.get(path);
      const sha = type === 'file' ? blobSha(bytes ?? '') : blobSha(`tree:${commit.sha}:${path}`);
      return {
        type,
        size: type === 'file' ? (bytes?.length ?? 0) : 0,
        name,
        path,
        sha,
        ...links(place, path, type, sha),
        download_url:
          type === 'file'
            ? `https://raw.githubusercontent.com/${place.fullName}/${place.ref}/${path}`
            : null,
      };
    });
}

/** True when some file lives under `dir` in the commit. */
export function isDirectory(commit: Commit, dir: string): boolean {
  const prefix = dir === '' ? '' : `${dir}/`;
  return [...commit.files.keys()].some((p) => p.startsWith(prefix));
}

/**
 * A symlink whose target is not a file in the repository, or a submodule: described, never served
 * as content. https://docs.github.com/en/rest/repos/contents#get-repository-content
 */
export function specialEntry(
  place: Place,
  path: string,
  entry: SpecialEntry,
): Record<string, unknown> {
  const sha = entry.type === 'submodule' ? entry.sha : blobSha(entry.target);
  const common = {
    type: entry.type,
    size: entry.type === 'symlink' ? Buffer.byteLength(entry.target, 'utf8') : 0,
    name: path.split('/').pop(),
    path,
    sha,
    ...links(place, path, 'file', sha),
    download_url: null,
  };
  return entry.type === 'symlink'
    ? { ...common, target: entry.target }
    : { ...common, submodule_git_url: entry.url };
}
