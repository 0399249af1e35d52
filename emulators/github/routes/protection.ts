import { HttpError } from '../http/errors.js';
import type { Route } from '../http/router.js';
import type { GitHubState } from '../state.js';
import { repoOf } from './context.js';

export function protectionRoutes(state: GitHubState): Route[] {
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/branches/:branch/protection',
      handler: (req) => {
        const { repo, fullName } = repoOf(state, req);
        const branch = req.params.branch ?? '';
        const p = repo.settings.protections.get(branch);
        if (!p) throw new HttpError(404, 'Branch not protected');
        const url = `${req.base}/repos/${fullName}/branches/${encodeURIComponent(branch)}/protection`;
        return {
          body: {
            url,
            required_status_checks: {
              url: `${url}/required_status_checks`,
              strict: true,
              contexts: p.requiredStatusChecks,
              contexts_url: `${url}/required_status_checks/contexts`,
              checks: p.requiredStatusChecks.map((context) => ({ context, app_id: null })),
            },
            required_pull_request_reviews: {
              url: `${url}/required_pull_request_reviews`,
              dismiss_stale_reviews: p.dismissStaleReviews,
              require_code_owner_reviews: p.requireCodeOwnerReviews,
              required_approving_review_count: p.requiredApprovingReviewCount,
              require_last_push_approval: p.requireLastPushApproval,
            },
            enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforceAdmins },
            required_signatures: { url: `${url}/required_signatures`, enabled: false },
            required_linear_history: { enabled: false },
            allow_force_pushes: { enabled: p.allowForcePushes },
            allow_deletions: { enabled: p.allowDeletions },
            block_creations: { enabled: false },
            required_conversation_resolution: { enabled: false },
            lock_branch: { enabled: false },
            allow_fork_syncing: { enabled: false },
          },
        };
      },
    },
  ];
}
