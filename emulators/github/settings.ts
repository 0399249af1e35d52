/**
 * Repository settings a `jit doctor` inspects: branch protection, rulesets, environments and the
 * default `GITHUB_TOKEN` permissions. Rulesets are kept in GitHub's own API shape (as they are
 * created through the API), since the emulator only matches their conditions, never enforces them.
 */

export interface BranchProtection {
  requiredApprovingReviewCount: number;
  requireCodeOwnerReviews: boolean;
  dismissStaleReviews: boolean;
  requireLastPushApproval: boolean;
  enforceAdmins: boolean;
  requiredStatusChecks: string[];
  allowForcePushes: boolean;
  allowDeletions: boolean;
}

export type RulesetEnforcement = 'active' | 'evaluate' | 'disabled';

export interface Ruleset {
  id: number;
  name: string;
  enforcement: RulesetEnforcement;
  /** `refs/heads/<glob>`, `~DEFAULT_BRANCH` or `~ALL`. */
  conditions: { ref_name: { include: string[]; exclude: string[] } };
  /** Rule objects as GitHub's API spells them, e.g. `{ type: 'pull_request', parameters: {...} }`. */
  rules: { type: string; parameters?: Record<string, unknown> }[];
  bypass_actors: {
    actor_id: number | null;
    actor_type: string;
    bypass_mode: 'always' | 'pull_request';
  }[];
  createdAt: Date;
}

export interface EnvironmentReviewer {
  type: 'User' | 'Team';
  /** A login, or `org/team-slug` for a team. */
  name: string;
}

export interface Environment {
  id: number;
  name: string;
  reviewers: EnvironmentReviewer[];
  preventSelfReview: boolean;
  waitTimer: number;
  /** Null lets every branch deploy. */
  branchPolicy: { protectedBranches: boolean; customBranchPolicies: boolean } | null;
  createdAt: Date;
}

export interface WorkflowPermissions {
  defaultWorkflowPermissions: 'read' | 'write';
  canApprovePullRequestReviews: boolean;
}

export interface RepoSettings {
  protections: Map<string, BranchProtection>;
  rulesets: Ruleset[];
  environments: Map<string, Environment>;
  workflowPermissions: WorkflowPermissions;
}

/** GitHub's defaults for a new organisation repository. */
export function defaultSettings(): RepoSettings {
  return {
    protections: new Map(),
    rulesets: [],
    environments: new Map(),
    workflowPermissions: {
      defaultWorkflowPermissions: 'read',
      canApprovePullRequestReviews: false,
    },
  };
}

export const defaultProtection = (): BranchProtection => ({
  requiredApprovingReviewCount: 1,
  requireCodeOwnerReviews: false,
  dismissStaleReviews: false,
  requireLastPushApproval: false,
  enforceAdmins: false,
  requiredStatusChecks: [],
  allowForcePushes: false,
  allowDeletions: false,
});

/**
 * Whether a ruleset's ref-name condition selects a branch: GitHub's fnmatch-style patterns, where
 * `*` stays within a path segment and `**` crosses them.
 */
export function rulesetTargets(ruleset: Ruleset, branch: string, defaultBranch: string): boolean {
  const ref = `refs/heads/${branch}`;
  const matches = (pattern: string): boolean => {
    if (pattern === '~ALL') return true;
    if (pattern === '~DEFAULT_BRANCH') return branch === defaultBranch;
    const full = pattern.startsWith('refs/') ? pattern : `refs/heads/${pattern}`;
    const source = full
      .split(/(\*\*|\*|\?)/)
      .map((part) =>
        part === '**'
          ? '.*'
          : part === '*'
            ? '[^/]*'
            : part === '?'
              ? '[^/]'
              : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
      )
      .join('');
    return new RegExp(`^${source}$`).test(ref);
  };
  const { include, exclude } = ruleset.conditions.ref_name;
  return include.some(matches) && !exclude.some(matches);
}
