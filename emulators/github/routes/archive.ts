import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { HttpError, notFound } from '../http/errors.js';
import type { Route } from '../http/router.js';
import { toBytes, type FileInput, type GitHubState } from '../state.js';
import { repoOf } from './context.js';

/**
 * `GET /repos/{o}/{r}/tarball/{ref}` as GitHub answers it
 * (https://docs.github.com/rest/repos/contents#download-a-repository-archive-tar): a 302 to a
 * codeload URL carrying a short-lived token, which serves `git archive`'s gzipped tar of the
 * commit under `<owner>-<repo>-<short sha>/`, after a pax global header holding the commit id.
 * As `git archive`, paths matched by an `export-ignore` line of the root `.gitattributes` are
 * left out (https://git-scm.com/docs/gitattributes#_creating_an_archive): an archive is not
 * the tree, which is why a client checks one against the other.
 */
export function archiveRoutes(state: GitHubState, clock: () => Date): Route[] {
  const links = new Map<string, { fullName: string; sha: string; expires: number }>();
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/tarball/*ref',
      // Not in GitHub's permission data; its documentation names "Contents" (read).
      permissions: [['contents', 'read']],
      handler: (req) => {
        const { fullName } = repoOf(state, req);
        const commit = state.resolveRef(fullName, req.params.ref || undefined);
        const token = randomBytes(12).toString('hex');
        // Codeload's links are good for five minutes.
        links.set(token, { fullName, sha: commit.sha, expires: clock().getTime() + 300_000 });
        const location = `${req.base}/_codeload/${fullName}/legacy.tar.gz/${commit.sha}?token=${token}`;
        return { status: 302, headers: { location }, body: undefined };
      },
    },
    {
      method: 'GET',
      path: '/_codeload/:owner/:repo/legacy.tar.gz/:sha',
      auth: false,
      handler: (req) => {
        const link = links.get(req.query.get('token') ?? '');
        if (!link || link.expires < clock().getTime() || link.sha !== req.params.sha)
          throw notFound();
        const repo = state.repo(link.fullName);
        const commit = state.commit(link.fullName, link.sha);
        const ignored = exportIgnored(commit.files.get('.gitattributes')?.toString('utf8') ?? '');
        const root = `${repo.owner}-${repo.name}-${commit.sha.slice(0, 7)}/`;
        const files = [...commit.files]
          .filter(([path]) => !ignored(path))
          .sort(([a], [b]) => a.localeCompare(b));
        const blocks = [
          entry('pax_global_header', `52 comment=${commit.sha}\n`, 'g'),
          ...files.map(([path, bytes]) => entry(root + path, bytes, '0')),
          Buffer.alloc(1024),
        ];
        return {
          headers: { 'content-type': 'application/x-gzip' },
          body: gzipSync(Buffer.concat(blocks)),
        };
      },
    },
  ];
}

/** A matcher for the `export-ignore` patterns of a `.gitattributes` (`*`, `**`, exact paths). */
function exportIgnored(attributes: string): (path: string) => boolean {
  const patterns = attributes
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((words) => words.slice(1).includes('export-ignore'))
    .map(([pattern = '']) => {
      const source = pattern
        .replace(/^\//, '')
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*/g, '\0')
        .replace(/\*/g, '[^/]*')
        .replace(/\0/g, '.*');
      return new RegExp(`^${source}(/.*)?$`);
    });
  return (path) => patterns.some((p) => p.test(path));
}

/** One ustar entry: a 512-byte header (long names split into prefix and name) and its data. */
function entry(path: string, content: FileInput, type: '0' | 'g'): Buffer {
  const data = toBytes(content);
  const header = Buffer.alloc(512);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf('/', path.length - 2);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
    if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155)
      throw new HttpError(500, `path too long for the emulator's archive: ${path}`);
  }
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write(type, 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding]);
}
