import { createHash } from 'node:crypto';
import { HttpError, notFound, validationFailed } from '../http/errors.js';
import type { RestRequest, Route } from '../http/router.js';
import { blobSha } from '../render/contents.js';
import { enforceRefRules } from '../rules.js';
import { toBytes, type Commit, type FileBytes, type GitHubState } from '../state.js';
import { repoOf } from './context.js';

/**
 * The git data API as far as an append-only log needs it: trees (read, recursive; create), commits
 * and refs, with rulesets enforced on every ref move. Trees are snapshots here, so a tree sha is
 * derived from its content and stays stable for the same files.
 * https://docs.github.com/en/rest/git
 */

/** GitHub truncates a recursive listing past 100,000 entries or 7 MB. */
export const TREE_LIMIT = 100_000;

export function treeShaOf(files: Map<string, FileBytes>): string {
  const hash = createHash('sha1');
  for (const [path, bytes] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b)))
    hash.update(`${path}\0${blobSha(bytes)}\n`);
  return hash.digest('hex');
}

export function gitRoutes(state: GitHubState): Route[] {
  const branchOf = (req: RestRequest): string => {
    const ref = req.params.ref ?? '';
    if (!ref.startsWith('heads/')) throw notFound();
    return ref.slice('heads/'.length);
  };
  const refBody = (base: string, fullName: string, branch: string, sha: string) => ({
    ref: `refs/heads/${branch}`,
    node_id: `REF_${sha.slice(0, 12)}`,
    url: `${base}/repos/${fullName}/git/refs/heads/${branch}`,
    object: { type: 'commit', sha, url: `${base}/repos/${fullName}/git/commits/${sha}` },
  });
  const commitBody = (base: string, fullName: string, c: Commit) => ({
    sha: c.sha,
    url: `${base}/repos/${fullName}/git/commits/${c.sha}`,
    message: c.message,
    tree: {
      sha: treeShaOf(c.files),
      url: `${base}/repos/${fullName}/git/trees/${treeShaOf(c.files)}`,
    },
    parents: c.parents.map((sha) => ({ sha, url: `${base}/repos/${fullName}/git/commits/${sha}` })),
  });

  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/git/trees/:tree_sha',
      handler: (req) => {
        const { repo, fullName } = repoOf(state, req);
        const wanted = req.params.tree_sha ?? '';
        // A tree sha, a commit sha, or a branch name, as GitHub accepts.
        const files =
          state.trees.get(wanted)?.files ??
          (repo.branches.has(wanted) || state.commits.has(wanted)
            ? state.resolveRef(fullName, wanted).files
            : undefined);
        if (!files) throw notFound();
        const recursive = req.query.has('recursive');
        const entries = new Map<string, { type: 'blob' | 'tree'; bytes?: FileBytes }>();
        for (const [path, bytes] of files) {
          const parts = path.split('/');
          if (!recursive && parts.length > 1) {
            entries.set(parts[0]!, { type: 'tree' });
            continue;
          }
          for (let i = 1; i < parts.length; i++)
            entries.set(parts.slice(0, i).join('/'), { type: 'tree' });
          entries.set(path, { type: 'blob', bytes });
        }
        const sorted = [...entries.entries()].sort(([a], [b]) => a.localeCompare(b));
        const truncated = sorted.length > TREE_LIMIT;
        return {
          body: {
            sha: treeShaOf(files),
            url: `${req.base}/repos/${fullName}/git/trees/${treeShaOf(files)}`,
            tree: sorted.slice(0, TREE_LIMIT).map(([path, e]) => ({
              path,
              mode: e.type === 'blob' ? '100644' : '040000',
              type: e.type,
              sha: e.type === 'blob' ? blobSha(e.bytes ?? '') : blobSha(`tree:${path}`),
              ...(e.type === 'blob' ? { size: e.bytes?.length ?? 0 } : {}),
            })),
            truncated,
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/git/trees',
      handler: (req) => {
        const { fullName } = repoOf(state, req);
        const body = req.body as {
          tree?: { path?: unknown; mode?: unknown; type?: unknown; content?: unknown }[];
          base_tree?: unknown;
        };
        if (!Array.isArray(body?.tree)) throw validationFailed('Tree', 'tree');
        const base =
          typeof body.base_tree === 'string'
            ? (state.trees.get(body.base_tree)?.files ??
              state.resolveRef(fullName, body.base_tree).files)
            : new Map<string, FileBytes>();
        const files = new Map(base);
        for (const entry of body.tree) {
          // Only inline blobs: enough for what clients here create.
          if (typeof entry.path !== 'string' || typeof entry.content !== 'string')
            throw validationFailed('Tree', 'tree');
          // `content` is text, written as its UTF-8 bytes (https://docs.github.com/en/rest/git/trees#create-a-tree).
          files.set(entry.path, toBytes(entry.content));
        }
        const sha = treeShaOf(files);
        state.trees.set(sha, { sha, repo: fullName.toLowerCase(), files });
        return {
          status: 201,
          body: { sha, url: `${req.base}/repos/${fullName}/git/trees/${sha}`, truncated: false },
        };
      },
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/git/commits',
      handler: (req) => {
        const { fullName } = repoOf(state, req);
        const body = req.body as { message?: unknown; tree?: unknown; parents?: unknown };
        if (typeof body?.message !== 'string') throw validationFailed('Commit', 'message');
        const tree = typeof body.tree === 'string' ? state.trees.get(body.tree) : undefined;
        if (!tree) throw validationFailed('Commit', 'tree', 'invalid');
        const parents = Array.isArray(body.parents) ? body.parents.map(String) : [];
        const commit = state.addSnapshotCommit(fullName, {
          files: tree.files,
          parents,
          message: body.message,
        });
        return { status: 201, body: commitBody(req.base, fullName, commit) };
      },
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/git/ref/*ref',
      handler: (req) => {
        const { repo, fullName } = repoOf(state, req);
        const branch = branchOf(req);
        const sha = repo.branches.get(branch);
        if (!sha) throw notFound();
        return { body: refBody(req.base, fullName, branch, sha) };
      },
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/git/refs',
      handler: (req) => {
        const { repo, fullName } = repoOf(state, req);
        const body = req.body as { ref?: unknown; sha?: unknown };
        if (typeof body?.ref !== 'string' || !body.ref.startsWith('refs/heads/'))
          throw validationFailed('Reference', 'ref', 'invalid');
        if (typeof body.sha !== 'string') throw validationFailed('Reference', 'sha');
        const branch = body.ref.slice('refs/heads/'.length);
        if (repo.branches.has(branch)) throw new HttpError(422, 'Reference already exists');
        state.commit(fullName, body.sha);
        enforceRefRules(state, fullName, req.grant!, branch, 'creation');
        repo.branches.set(branch, body.sha);
        return { status: 201, body: refBody(req.base, fullName, branch, body.sha) };
      },
    },
    {
      method: 'PATCH',
      path: '/repos/:owner/:repo/git/refs/*ref',
      handler: (req) => {
        const { repo, fullName } = repoOf(state, req);
        const branch = branchOf(req);
        const current = repo.branches.get(branch);
        if (!current) throw new HttpError(422, 'Reference does not exist');
        const body = req.body as { sha?: unknown; force?: unknown };
        if (typeof body?.sha !== 'string') throw validationFailed('Reference', 'sha');
        state.commit(fullName, body.sha);
        const fastForward = state.isAncestor(fullName, current, body.sha);
        if (!fastForward && body.force !== true)
          throw new HttpError(422, 'Update is not a fast forward');
        enforceRefRules(state, fullName, req.grant!, branch, 'update', fastForward);
        repo.branches.set(branch, body.sha);
        return { body: refBody(req.base, fullName, branch, body.sha) };
      },
    },
    {
      method: 'DELETE',
      path: '/repos/:owner/:repo/git/refs/*ref',
      handler: (req) => {
        const { repo, fullName } = repoOf(state, req);
        const branch = branchOf(req);
        if (!repo.branches.has(branch)) throw new HttpError(422, 'Reference does not exist');
        enforceRefRules(state, fullName, req.grant!, branch, 'deletion');
        repo.branches.delete(branch);
        return { status: 204 };
      },
    },
  ];
}
