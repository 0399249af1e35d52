import { notFound } from '../http/errors.js';
import type { Route } from '../http/router.js';
import { contentDirectory, contentFile, isDirectory } from '../render/contents.js';
import type { GitHubState } from '../state.js';
import { repoOf } from './context.js';

export function contentRoutes(state: GitHubState): Route[] {
  const get: Route = {
    method: 'GET',
    path: '/repos/:owner/:repo/contents/*path',
    permissions: [['contents', 'read']],
    handler: (req) => {
      const { repo, fullName } = repoOf(state, req);
      const ref = req.query.get('ref') ?? repo.defaultBranch;
      const commit = state.resolveRef(fullName, ref);
      const path = (req.params.path ?? '').replace(/^\/+|\/+$/g, '');
      const place = { base: req.base, fullName, ref };
      const text = commit.files.get(path);
      if (text !== undefined) return { body: contentFile(place, path, text) };
      if (isDirectory(commit, path)) return { body: contentDirectory(place, commit, path) };
      throw notFound();
    },
  };
  // "If you omit the path parameter, you will receive the contents of the repository's root
  // directory" (docs.github.com/en/rest/repos/contents#get-repository-content): Octokit then
  // asks for `/contents` with no trailing slash.
  return [get, { ...get, path: '/repos/:owner/:repo/contents' }];
}
