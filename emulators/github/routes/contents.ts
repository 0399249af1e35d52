import { notFound } from '../http/errors.js';
import type { Route } from '../http/router.js';
import { contentDirectory, contentFile, isDirectory } from '../render/contents.js';
import type { GitHubState } from '../state.js';
import { repoOf } from './context.js';

export function contentRoutes(state: GitHubState): Route[] {
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/contents/*path',
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
    },
  ];
}
