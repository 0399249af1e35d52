import type { Route } from '../http/router.js';
import { fullRepository } from '../render/repos.js';
import { simpleUser } from '../render/users.js';
import type { GitHubState, RepoRole } from '../state.js';
import { NotFound } from '../state.js';
import { repoOf } from './context.js';

/** The legacy `permission` field folds maintain into write and triage into read. */
const LEGACY: Record<RepoRole | 'none', string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
  none: 'none',
};

export function repoRoutes(state: GitHubState): Route[] {
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo',
      handler: (req) => ({ body: fullRepository(req.base, state, repoOf(state, req).repo) }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/collaborators/:username/permission',
      // Not in GitHub's permission data; its docs page asks for "Metadata" (read).
      permissions: [['metadata', 'read']],
      handler: (req) => {
        const { repo } = repoOf(state, req);
        const login = req.params.username ?? '';
        const user = state.users.get(login.toLowerCase());
        if (!user) throw new NotFound(`no user ${login}`);
        const role = repo.collaborators.get(login.toLowerCase()) ?? 'none';
        return {
          body: {
            permission: LEGACY[role],
            role_name: role,
            user: {
              ...simpleUser(req.base, user),
              permissions: {
                admin: role === 'admin',
                maintain: role === 'admin' || role === 'maintain',
                push: ['admin', 'maintain', 'write'].includes(role),
                triage: role !== 'read' && role !== 'none',
                pull: role !== 'none',
              },
              role_name: role,
            },
          },
        };
      },
    },
  ];
}
