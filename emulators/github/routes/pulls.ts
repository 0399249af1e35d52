import { validationFailed } from '../http/errors.js';
import { paged } from '../http/paging.js';
import type { Route } from '../http/router.js';
import { diffEntry, pullRequest, pullRequestSimple } from '../render/pulls.js';
import type { GitHubState, PullRequest } from '../state.js';
import { intParam, repoOf } from './context.js';

export function pullRoutes(state: GitHubState): Route[] {
  const pullsOf = (fullName: string): PullRequest[] =>
    [...state.pulls.values()].filter((p) => p.repo === fullName.toLowerCase());

  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/pulls',
      handler: (req) => {
        const { fullName } = repoOf(state, req);
        const q = req.query;
        const wanted = q.get('state') ?? 'open';
        const sort = q.get('sort') ?? 'created';
        // GitHub lists newest first unless another sort is asked for.
        const direction = q.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
        const time = (p: PullRequest): number =>
          (sort === 'updated' ? p.updatedAt : p.createdAt).getTime();
        // Equal timestamps (a fixed test clock) fall back to creation order.
        const order = (a: PullRequest, b: PullRequest): number =>
          time(a) - time(b) || a.number - b.number;
        const items = pullsOf(fullName)
          .filter((p) => wanted === 'all' || p.state === wanted)
          .filter((p) => !q.get('base') || p.baseRef === q.get('base'))
          .filter(
            (p) =>
              !q.get('head') ||
              `${req.params.owner}:${p.headRef}`.toLowerCase() === q.get('head')?.toLowerCase(),
          )
          .sort((a, b) => (direction === 'asc' ? order(a, b) : order(b, a)));
        const page = paged(req, items);
        return {
          ...page,
          body: (page.body as PullRequest[]).map((p) => pullRequestSimple(req.base, state, p)),
        };
      },
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/pulls/:pull_number',
      handler: (req) => {
        const { fullName } = repoOf(state, req);
        return {
          body: pullRequest(req.base, state, state.pull(fullName, intParam(req, 'pull_number'))),
        };
      },
    },
    {
      // Only closing is modelled (the sweep closes stale requests); any other change is refused
      // with the 422 GitHub gives an invalid field, so a client relying on it fails here first.
      // https://docs.github.com/en/rest/pulls/pulls#update-a-pull-request
      method: 'PATCH',
      path: '/repos/:owner/:repo/pulls/:pull_number',
      handler: (req) => {
        const { fullName } = repoOf(state, req);
        const number = intParam(req, 'pull_number');
        const body = (req.body ?? {}) as Record<string, unknown>;
        const fields = Object.keys(body);
        if (body.state !== 'closed' || fields.some((f) => f !== 'state'))
          throw validationFailed('PullRequest', fields.find((f) => f !== 'state') ?? 'state');
        const pr = state.pull(fullName, number);
        if (pr.state === 'open') state.close(fullName, number);
        return { body: pullRequest(req.base, state, pr) };
      },
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/pulls/:pull_number/files',
      handler: (req) => {
        const { fullName } = repoOf(state, req);
        const pr = state.pull(fullName, intParam(req, 'pull_number'));
        const page = paged(req, pr.files);
        return {
          ...page,
          body: (page.body as PullRequest['files']).map((f) => diffEntry(req.base, state, pr, f)),
        };
      },
    },
    {
      // A merge commit belongs to the PR it merged; any other commit to the PRs that contain it.
      method: 'GET',
      path: '/repos/:owner/:repo/commits/:commit_sha/pulls',
      // Not in GitHub's permission data; the pull requests it lists need "Pull requests" (read).
      permissions: [['pull_requests', 'read']],
      handler: (req) => {
        const { fullName } = repoOf(state, req);
        const sha = req.params.commit_sha ?? '';
        const merged = pullsOf(fullName).filter((p) => p.mergeCommitSha === sha);
        const items =
          merged.length > 0 ? merged : pullsOf(fullName).filter((p) => p.commits.includes(sha));
        const page = paged(req, items);
        return {
          ...page,
          body: (page.body as PullRequest[]).map((p) => pullRequestSimple(req.base, state, p)),
        };
      },
    },
  ];
}
