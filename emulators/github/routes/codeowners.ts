import { notFound } from '../http/errors.js';
import type { Route } from '../http/router.js';
import type { GitHubState } from '../state.js';
import { repoOf } from './context.js';

/** Where GitHub looks for CODEOWNERS, in order; the first one found is the one used. */
const LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

interface OwnerError {
  line: number;
  column: number;
  source: string;
  kind: string;
  suggestion: null;
  message: string;
  path: string;
}

export function codeownersRoutes(state: GitHubState): Route[] {
  /** Owners must be `@user`, `@org/team` (existing, in this org) or an e-mail address. */
  const problem = (owner: string, org: string): string | undefined => {
    if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(owner)) return undefined;
    const m = /^@([A-Za-z0-9-]+(?:\[bot\])?)(?:\/([A-Za-z0-9._-]+))?$/.exec(owner);
    if (!m?.[1]) return 'Invalid owner';
    if (m[2])
      return m[1].toLowerCase() === org.toLowerCase() &&
        state.teams.has(`${m[1]}/${m[2]}`.toLowerCase())
        ? undefined
        : 'Unknown owner';
    return state.users.has(m[1].toLowerCase()) ? undefined : 'Unknown owner';
  };

  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/codeowners/errors',
      handler: (req) => {
        const { repo, fullName } = repoOf(state, req);
        const commit = state.resolveRef(fullName, req.query.get('ref') ?? undefined);
        const path = LOCATIONS.find((p) => commit.files.has(p));
        if (!path) throw notFound();
        const errors: OwnerError[] = [];
        (commit.files.get(path)?.toString('utf8') ?? '').split('\n').forEach((source, i) => {
          const content = source.replace(/\s#.*$|^#.*$/, '');
          const tokens = [...content.matchAll(/\S+/g)];
          for (const token of tokens.slice(1)) {
            const kind = problem(token[0], repo.owner);
            if (!kind) continue;
            const column = (token.index ?? 0) + 1;
            errors.push({
              line: i + 1,
              column,
              source,
              kind,
              suggestion: null,
              message: `${kind} on line ${i + 1}:\n\n  ${source}\n  ${' '.repeat(column - 1)}^`,
              path,
            });
          }
        });
        return { body: { errors } };
      },
    },
  ];
}
