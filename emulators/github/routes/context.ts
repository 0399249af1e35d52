import type { RestRequest } from '../http/router.js';
import type { GitHubState, Repo } from '../state.js';

/** The repository a `/repos/:owner/:repo/...` route addresses; NotFound (404) when absent. */
export function repoOf(state: GitHubState, req: RestRequest): { repo: Repo; fullName: string } {
  const repo = state.repo(`${req.params.owner}/${req.params.repo}`);
  return { repo, fullName: `${repo.owner}/${repo.name}` };
}

/** A path parameter that must be a positive integer; anything else is a 404 route miss. */
export function intParam(req: RestRequest, name: string): number {
  const value = req.params[name] ?? '';
  return /^[1-9]\d*$/.test(value) ? Number(value) : -1;
}
