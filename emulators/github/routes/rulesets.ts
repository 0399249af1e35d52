import { notFound } from '../http/errors.js';
import { paged } from '../http/paging.js';
import type { Route } from '../http/router.js';
import { iso } from '../render/repos.js';
import { WEB, nodeId } from '../render/users.js';
import { rulesetTargets, type Ruleset } from '../settings.js';
import type { GitHubState } from '../state.js';
import { intParam, repoOf } from './context.js';

export function rulesetRoutes(state: GitHubState): Route[] {
  /** The list omits conditions and rules; GET /rulesets/{id} includes them, as on GitHub. */
  const summary = (base: string, fullName: string, r: Ruleset): Record<string, unknown> => ({
    id: r.id,
    name: r.name,
    target: 'branch',
    source_type: 'Repository',
    source: fullName,
    enforcement: r.enforcement,
    node_id: nodeId('RepositoryRuleset', r.id),
    _links: {
      self: { href: `${base}/repos/${fullName}/rulesets/${r.id}` },
      html: { href: `${WEB}/${fullName}/rules/${r.id}` },
    },
    created_at: iso(r.createdAt),
    updated_at: iso(r.createdAt),
  });

  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/rulesets',
      permissions: [['metadata', 'read']],
      handler: (req) => {
        const { repo, fullName } = repoOf(state, req);
        const page = paged(req, repo.settings.rulesets);
        return {
          ...page,
          body: (page.body as Ruleset[]).map((r) => summary(req.base, fullName, r)),
        };
      },
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/rulesets/:ruleset_id',
      permissions: [['metadata', 'read']],
      handler: (req) => {
        const { repo, fullName } = repoOf(state, req);
        const r = repo.settings.rulesets.find((x) => x.id === intParam(req, 'ruleset_id'));
        if (!r) throw notFound();
        return {
          body: {
            ...summary(req.base, fullName, r),
            bypass_actors: r.bypass_actors,
            current_user_can_bypass: 'never',
            conditions: r.conditions,
            rules: r.rules,
          },
        };
      },
    },
    {
      // Only active rulesets apply; `evaluate` ones are reported by GitHub's insights, not here.
      method: 'GET',
      path: '/repos/:owner/:repo/rules/branches/:branch',
      permissions: [['metadata', 'read']],
      handler: (req) => {
        const { repo, fullName } = repoOf(state, req);
        const branch = req.params.branch ?? '';
        const rules = repo.settings.rulesets
          .filter(
            (r) => r.enforcement === 'active' && rulesetTargets(r, branch, repo.defaultBranch),
          )
          .flatMap((r) =>
            r.rules.map((rule) => ({
              ...rule,
              ruleset_source_type: 'Repository',
              ruleset_source: fullName,
              ruleset_id: r.id,
            })),
          );
        return paged(req, rules);
      },
    },
  ];
}
