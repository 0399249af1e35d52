import { HttpError, notFound, validationFailed } from '../http/errors.js';
import type { RestRequest, Route } from '../http/router.js';
import {
  blobSha,
  contentDirectory,
  contentFile,
  isDirectory,
  specialEntry,
} from '../render/contents.js';
import { enforceRefRules } from '../rules.js';
import type { GitHubState } from '../state.js';
import { repoOf } from './context.js';

export function contentRoutes(state: GitHubState): Route[] {
  const get: Route = {
    method: 'GET',
    path: '/repos/:owner/:repo/contents/*path',
    handler: (req) => {
      const { repo, fullName } = repoOf(state, req);
      const ref = req.query.get('ref') ?? repo.defaultBranch;
      const commit = state.resolveRef(fullName, ref);
      const path = pathOf(req);
      const place = { base: req.base, fullName, ref };
      const special = state.specialEntries.get(`${commit.sha}\0${path}`);
      if (special) return { body: specialEntry(place, path, special) };
      const bytes = commit.files.get(path);
      if (bytes !== undefined) return { body: contentFile(place, path, bytes) };
      if (isDirectory(commit, path)) return { body: contentDirectory(place, commit, path) };
      throw notFound();
    },
  };
  return [
    get,
    // "If you omit the path parameter, you will receive the contents of the repository's root
    // directory" (docs.github.com/en/rest/repos/contents#get-repository-content): Octokit then
    // asks for `/contents` with no trailing slash.
    // GitHub's permission data lists only the form with a path; the root is the same endpoint.
    { ...get, path: '/repos/:owner/:repo/contents', permissions: [['contents', 'read']] },
    {
      // Create or update a file as one commit on a branch. Without `sha`, an existing path is a
      // 422; a `sha` that is not the file's current blob is a 409; a missing branch is a 404.
      // https://docs.github.com/en/rest/repos/contents#create-or-update-file-contents
      method: 'PUT',
      path: '/repos/:owner/:repo/contents/*path',
      handler: (req) => {
        const { repo, fullName } = repoOf(state, req);
        const body = req.body as {
          message?: unknown;
          content?: unknown;
          sha?: unknown;
          branch?: unknown;
        };
        if (typeof body?.message !== 'string') throw validationFailed('Commit', 'message');
        if (typeof body.content !== 'string') throw validationFailed('Content', 'content');
        const branch = typeof body.branch === 'string' ? body.branch : repo.defaultBranch;
        const head = repo.branches.get(branch);
        if (!head) throw new HttpError(404, `Branch ${branch} not found`);
        const path = pathOf(req);
        const existing = state.commit(fullName, head).files.get(path);
        if (existing !== undefined && body.sha === undefined)
          throw new HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
        if (existing !== undefined && body.sha !== blobSha(existing))
          throw new HttpError(409, `${path} does not match ${String(body.sha)}`);
        enforceRefRules(state, fullName, req.grant!, branch, 'update');
        // "The new file content, using Base64 encoding": the bytes are stored as they decode.
        const bytes = Buffer.from(body.content, 'base64');
        const commit = state.addCommit(fullName, {
          parent: head,
          files: { [path]: bytes },
          message: body.message,
        });
        repo.branches.set(branch, commit.sha);
        return {
          status: existing === undefined ? 201 : 200,
          body: {
            content: contentFile({ base: req.base, fullName, ref: branch }, path, bytes),
            commit: { sha: commit.sha, message: body.message },
          },
        };
      },
    },
    {
      method: 'DELETE',
      path: '/repos/:owner/:repo/contents/*path',
      handler: (req) => {
        const { repo, fullName } = repoOf(state, req);
        const body = req.body as { message?: unknown; sha?: unknown; branch?: unknown };
        if (typeof body?.message !== 'string') throw validationFailed('Commit', 'message');
        if (typeof body.sha !== 'string') throw validationFailed('Content', 'sha');
        const branch = typeof body.branch === 'string' ? body.branch : repo.defaultBranch;
        const head = repo.branches.get(branch);
        if (!head) throw new HttpError(404, `Branch ${branch} not found`);
        const path = pathOf(req);
        const existing = state.commit(fullName, head).files.get(path);
        if (existing === undefined) throw notFound();
        if (body.sha !== blobSha(existing))
          throw new HttpError(409, `${path} does not match ${body.sha}`);
        enforceRefRules(state, fullName, req.grant!, branch, 'update');
        const commit = state.addCommit(fullName, {
          parent: head,
          files: { [path]: null },
          message: body.message,
        });
        repo.branches.set(branch, commit.sha);
        return { body: { content: null, commit: { sha: commit.sha, message: body.message } } };
      },
    },
  ];
}

const pathOf = (req: RestRequest): string => (req.params.path ?? '').replace(/^\/+|\/+$/g, '');
