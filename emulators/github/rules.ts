import type { TokenGrant } from './auth.js';
import { HttpError } from './http/errors.js';
import { rulesetTargets } from './settings.js';
import type { GitHubState } from './state.js';

/**
 * Rulesets enforced on writes to a branch, as GitHub enforces them on pushes and on the REST
 * routes that move a ref (contents, git refs). Only `active` rulesets apply; `evaluate` ones only
 * report. See https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/available-rules-for-rulesets
 */
export type RefChange = 'creation' | 'update' | 'deletion';

/** Built-in repository roles' ids as rulesets' `RepositoryRole` bypass actors name them. */
const ROLE_IDS: Record<number, string> = { 2: 'maintain', 4: 'write', 5: 'admin' };

export function enforceRefRules(
  state: GitHubState,
  fullName: string,
  grant: TokenGrant,
  branch: string,
  change: RefChange,
  fastForward = true,
): void {
  const repo = state.repo(fullName);
  const role = repo.collaborators.get(grant.login.toLowerCase());
  const violated: string[] = [];
  for (const ruleset of repo.settings.rulesets) {
    if (ruleset.enforcement !== 'active') continue;
    if (!rulesetTargets(ruleset, branch, repo.defaultBranch)) continue;
    // Stricter than GitHub where unsure: a bypass counts only for the exact actor it names.
    const bypass = ruleset.bypass_actors.some(
      (a) =>
        a.bypass_mode === 'always' &&
        ((a.actor_type === 'Integration' && grant.appId !== null && a.actor_id === grant.appId) ||
          (a.actor_type === 'RepositoryRole' &&
            a.actor_id !== null &&
            role !== undefined &&
            ROLE_IDS[a.actor_id] === role)),
    );
    if (bypass) continue;
    for (const rule of ruleset.rules) {
      if (rule.type === change) violated.push(`${rule.type} is restricted (${ruleset.name})`);
      if (rule.type === 'non_fast_forward' && change === 'update' && !fastForward)
        violated.push(`cannot force-push to this branch (${ruleset.name})`);
    }
  }
  if (violated.length > 0) {
    throw new HttpError(422, 'Repository rule violations found', {
      errors: violated.map((message) => ({ message })),
    });
  }
}
