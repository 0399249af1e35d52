import { HttpError } from '../http/errors.js';
import type { Route } from '../http/router.js';
import { pullRequest } from '../render/pulls.js';
import { nodeId } from '../render/users.js';
import type { GitHubState, Team } from '../state.js';
import { intParam, repoOf } from './context.js';

/**
 * Requesting reviewers, with the refusals GitHub gives
 * (https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request):
 * 422 for the PR's author, for a login or team that is not a collaborator of the repository, and
 * for any team when the token cannot read the organisation's teams. The documentation names only
 * "Pull requests" (write), but a token without the organisation permission "Members" (read),
 * which a `GITHUB_TOKEN` can never hold, is answered "Could not resolve to a node" for every team
 * (github/docs#35057, actions/github-script#284, peter-evans/create-pull-request#986).
 * Requests add to those already made; nothing here removes one.
 */
export function reviewRequestRoutes(state: GitHubState): Route[] {
  return [
    {
      method: 'POST',
      path: '/repos/:owner/:repo/pulls/:pull_number/requested_reviewers',
      handler: (req) => {
        const { fullName } = repoOf(state, req);
        const pr = state.pull(fullName, intParam(req, 'pull_number'));
        const body = (req.body ?? {}) as Record<string, unknown>;
        const users = stringList(body.reviewers, 'reviewers');
        const teams = stringList(body.team_reviewers, 'team_reviewers');
        if (users.length + teams.length === 0)
          throw new HttpError(422, 'Validation Failed', {
            errors: [{ resource: 'PullRequest', field: 'reviewers', code: 'missing_field' }],
          });
        if (users.some((u) => u.toLowerCase() === pr.author.toLowerCase()))
          throw new HttpError(422, 'Review cannot be requested from pull request author.');
        const org = fullName.split('/')[0] ?? '';
        const found = teams.map((slug) => state.teams.get(`${org}/${slug}`.toLowerCase()));
        const readsTeams = req.grant?.permissions.members !== undefined;
        const unresolved = found.find((t) => t && !readsTeams);
        if (unresolved)
          throw new HttpError(422, 'Validation Failed', {
            errors: [
              `Could not resolve to a node with the global id of '${nodeId('Team', unresolved.id)}'.`,
            ],
          });
        const stranger =
          users.some((u) => !state.canReview(fullName, u)) ||
          found.some((t) => !t || !t.repos.has(fullName.toLowerCase()));
        if (stranger)
          throw new HttpError(
            422,
            `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${fullName} repository.`,
          );
        for (const u of users) {
          if (!pr.requestedReviewers.some((r) => r.toLowerCase() === u.toLowerCase()))
            pr.requestedReviewers.push(state.user(u).login);
        }
        for (const t of found.filter((f): f is Team => f !== undefined)) {
          const slug = `${t.org}/${t.slug}`.toLowerCase();
          if (!pr.requestedTeams.includes(slug)) pr.requestedTeams.push(slug);
        }
        pr.updatedAt = state.clock();
        return { status: 201, body: pullRequest(req.base, state, pr) };
      },
    },
  ];
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new HttpError(422, 'Validation Failed', {
      errors: [{ resource: 'PullRequest', field, code: 'invalid' }],
    });
  return value as string[];
}
