import type { DecisionLogSettings } from './decision-log.js';

/**
 * The repository settings `jit doctor` judges, read once so every check sees the same state.
 * Each setting is read separately: one the token cannot see must not hide the others.
 */

/** One setting as the API answered it. */
export type Read<T> =
  | { state: 'ok'; value: T }
  /** 404: not configured (no protection, no environment, no CODEOWNERS file). */
  | { state: 'absent' }
  /** 403: the token lacks `permission`. */
  | { state: 'forbidden'; permission: string; message: string }
  /** Anything else (5xx, network): the setting is unknown. */
  | { state: 'failed'; message: string };

export interface CodeownersError {
  line: number;
  column: number;
  kind: string;
  source: string;
}

export interface CodeownersFile {
  path: string;
  text: string;
}

/** A pull request rule as branch protection and rulesets both express it. */
export interface PullRequestRule {
  requiredApprovals: number;
  codeOwnerReview: boolean;
  dismissStaleReviews: boolean;
  lastPushApproval: boolean;
}

/** One source of rules on the default branch: classic branch protection or one ruleset. */
export interface BranchRules {
  /** `branch protection` or `ruleset "name"`, for messages. */
  source: string;
  /** Absent when this source does not require a pull request. */
  pullRequest?: PullRequestRule;
  blocksForcePushes: boolean;
  /** Status check names (contexts) this source requires before a merge. */
  requiredChecks: string[];
  /** Who may skip these rules; empty when nobody can. */
  bypassedBy: string[];
}

export interface DeploymentBranch {
  name: string;
  type: 'branch' | 'tag';
}

export interface EnvironmentSettings {
  /** Null when any branch may deploy. */
  branchPolicy: { protectedBranches: boolean; customBranchPolicies: boolean } | null;
  /** The custom policies' patterns; read only when custom policies are on. */
  customBranches?: Read<DeploymentBranch[]>;
}

/** The default branch's request workflow and, when a job of it binds jit-request, that environment. */
export type RequestWorkflow =
  | { use: 'binds'; environment: Read<EnvironmentSettings> }
  | { use: 'none' }
  /** Not YAML doctor can read (the safe subset refuses anchors, tags…): the use is unknown. */
  | { use: 'unknown'; message: string };

export interface WorkflowTokenSettings {
  defaultPermissions: 'read' | 'write';
  canApprovePullRequests: boolean;
}

export interface RepoSnapshot {
  repository: string;
  defaultBranch: string;
  /** The first of `.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS`, as GitHub looks. */
  codeowners: Read<CodeownersFile>;
  codeownersErrors: Read<CodeownersError[]>;
  protection: Read<BranchRules>;
  /** Active rulesets that apply to the default branch. */
  rulesets: Read<BranchRules[]>;
  environment: Read<EnvironmentSettings>;
  /** `.github/workflows/request.yml`; absent when the repository has none. */
  requestWorkflow: Read<RequestWorkflow>;
  workflowToken: Read<WorkflowTokenSettings>;
  decisionLog: DecisionLogSettings;
}
