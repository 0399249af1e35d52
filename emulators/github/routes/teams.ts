import { notFound } from '../http/errors.js';
import type { Route } from '../http/router.js';
import type { GitHubState } from '../state.js';

export function teamRoutes(state: GitHubState): Route[] {
  return [
    {
      // 404 for non-members; pending invitations answer with state "pending", which is not membership.
      method: 'GET',
      path: '/orgs/:org/teams/:team_slug/memberships/:username',
      // GitHub's data lists only the legacy `/teams/{id}/memberships/{username}` form of this
      // endpoint; both need the organisation permission "Members" (read), which GITHUB_TOKEN lacks.
      permissions: [['members', 'read']],
      handler: (req) => {
        const team = state.team(`${req.params.org}/${req.params.team_slug}`);
        const login = req.params.username ?? '';
        const membership = team.members.get(login.toLowerCase());
        if (!membership) throw notFound();
        return {
          body: {
            url: `${req.base}/teams/${team.id}/memberships/${login}`,
            role: membership.role,
            state: membership.state,
          },
        };
      },
    },
  ];
}
