import type { Route } from '../http/router.js';
import type { GitHubState } from '../state.js';
import { repoOf } from './context.js';

export function actionsRoutes(state: GitHubState): Route[] {
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/actions/permissions/workflow',
      // Not in GitHub's permission data; its docs page asks for "Administration" (read).
      permissions: [['administration', 'read']],
      handler: (req) => {
        const p = repoOf(state, req).repo.settings.workflowPermissions;
        return {
          body: {
            default_workflow_permissions: p.defaultWorkflowPermissions,
            can_approve_pull_request_reviews: p.canApprovePullRequestReviews,
          },
        };
      },
    },
  ];
}
