import type { GitHubState } from '../state.js';

/** `author_association`: how a user relates to the repository, as reviews and comments show it. */
export function authorAssociation(state: GitHubState, repoKey: string, login: string): string {
  const repo = state.repos.get(repoKey);
  if (!repo) return 'NONE';
  const who = login.toLowerCase();
  if (repo.owner.toLowerCase() === who) return 'OWNER';
  for (const team of state.teams.values()) {
    if (
      team.org.toLowerCase() === repo.owner.toLowerCase() &&
      team.members.get(who)?.state === 'active'
    ) {
      return 'MEMBER';
    }
  }
  if (repo.collaborators.has(who)) return 'COLLABORATOR';
  const merged = [...state.pulls.values()].some(
    (p) => p.repo === repoKey && p.merged && p.author.toLowerCase() === who,
  );
  return merged ? 'CONTRIBUTOR' : 'NONE';
}
