import { notFound } from '../http/errors.js';
import type { Route } from '../http/router.js';
import { iso } from '../render/repos.js';
import { team } from '../render/teams.js';
import { WEB, nodeId, simpleUser } from '../render/users.js';
import type { GitHubState } from '../state.js';
import { repoOf } from './context.js';

export function environmentRoutes(state: GitHubState): Route[] {
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/environments/:environment_name',
      // Not in GitHub's permission data; "Get an environment" asks for "Actions" (read).
      permissions: [['actions', 'read']],
      handler: (req) => {
        const { repo, fullName } = repoOf(state, req);
        const env = repo.settings.environments.get(
          (req.params.environment_name ?? '').toLowerCase(),
        );
        if (!env) throw notFound();
        const rule = (offset: number, type: string, extra: Record<string, unknown>) => ({
          id: env.id * 10 + offset,
          node_id: nodeId('Gate', env.id * 10 + offset),
          type,
          ...extra,
        });
        const protection_rules = [
          ...(env.reviewers.length > 0
            ? [
                rule(1, 'required_reviewers', {
                  prevent_self_review: env.preventSelfReview,
                  reviewers: env.reviewers.map((r) => ({
                    type: r.type,
                    reviewer:
                      r.type === 'User'
                        ? simpleUser(req.base, state.user(r.name))
                        : team(req.base, state.team(r.name)),
                  })),
                }),
              ]
            : []),
          ...(env.waitTimer > 0 ? [rule(2, 'wait_timer', { wait_timer: env.waitTimer })] : []),
          ...(env.branchPolicy ? [rule(3, 'branch_policy', {})] : []),
        ];
        return {
          body: {
            id: env.id,
            node_id: nodeId('Environment', env.id),
            name: env.name,
            url: `${req.base}/repos/${fullName}/environments/${encodeURIComponent(env.name)}`,
            html_url: `${WEB}/${fullName}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
            created_at: iso(env.createdAt),
            updated_at: iso(env.createdAt),
            protection_rules,
            deployment_branch_policy: env.branchPolicy && {
              protected_branches: env.branchPolicy.protectedBranches,
              custom_branch_policies: env.branchPolicy.customBranchPolicies,
            },
          },
        };
      },
    },
  ];
}
