import { paged } from '../http/paging.js';
import type { Route } from '../http/router.js';
import { review } from '../render/pulls.js';
import type { GitHubState, Review } from '../state.js';
import { intParam, repoOf } from './context.js';

export function reviewRoutes(state: GitHubState): Route[] {
  return [
    {
      // Chronological, dismissed ones included with state DISMISSED, as GitHub lists them.
      method: 'GET',
      path: '/repos/:owner/:repo/pulls/:pull_number/reviews',
      handler: (req) => {
        const { fullName } = repoOf(state, req);
        const pr = state.pull(fullName, intParam(req, 'pull_number'));
        const items = state.reviews
          .filter((r) => r.repo === pr.repo && r.pullNumber === pr.number)
          .sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime() || a.id - b.id);
        const page = paged(req, items);
        return { ...page, body: (page.body as Review[]).map((r) => review(req.base, state, r)) };
      },
    },
  ];
}
