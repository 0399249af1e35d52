import type { Octokit } from '@octokit/rest';
import type { ApprovalRule } from '../domain.js';
import { codeOwnersOf } from '../github/codeowners.js';
import { readFileAt, type RepoRef } from '../github/pull-request.js';
import type { Plan } from '../plan/plan.js';

/**
 * Who may approve a request: the rule its profile (or custom access) names, where a rule without
 * approvers means the owners CODEOWNERS gives the request file on the default branch, never
 * "anyone with write access". The same people may end the grant early with `/revoke`.
 */
export async function approvalRuleFor(
  octokit: Octokit,
  repo: RepoRef,
  defaultBranch: string,
  plan: Pick<Plan, 'approvals'>,
  file: string,
): Promise<ApprovalRule> {
  if (plan.approvals.approvers.length > 0) return plan.approvals;
  return {
    ...plan.approvals,
    approvers: await codeOwnersOf((path) => readFileAt(octokit, repo, path, defaultBranch), file),
  };
}
