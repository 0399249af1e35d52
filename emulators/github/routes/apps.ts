import { tokenOf, type TokenStore } from '../auth.js';
import type { GitHubApps, Installation } from '../apps.js';
import { HttpError, notFound } from '../http/errors.js';
import type { Route } from '../http/router.js';
import { iso, repository } from '../render/repos.js';
import { simpleUser } from '../render/users.js';
import type { GitHubState } from '../state.js';
import { intParam } from './context.js';

/**
 * The App endpoints the official actions/create-github-app-token and @octokit/auth-app call:
 * find the installation on a repository, mint a token for it (both with the App's JWT), and
 * revoke the token when the job ends (with the token itself).
 */
export function appRoutes(state: GitHubState, apps: GitHubApps, tokens: TokenStore): Route[] {
  const render = (base: string, i: Installation): Record<string, unknown> => ({
    id: i.id,
    account: simpleUser(base, state.user(i.account)),
    repository_selection: i.selection,
    access_tokens_url: `${base}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${base}/installation/repositories`,
    html_url: `https://github.com/organizations/${i.account}/settings/installations/${i.id}`,
    app_id: i.app.id,
    app_slug: i.app.slug,
    client_id: i.app.clientId,
    target_id: state.user(i.account).id,
    target_type: state.user(i.account).type,
    permissions: i.permissions,
    events: [],
    created_at: iso(i.createdAt),
    updated_at: iso(i.createdAt),
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  });

  return [
    {
      // https://docs.github.com/rest/apps/apps#get-the-authenticated-app
      method: 'GET',
      path: '/app',
      auth: 'app',
      handler: (req) => ({
        body: { id: req.app!.id, slug: req.app!.slug, client_id: req.app!.clientId },
      }),
    },
    {
      // https://docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app
      method: 'GET',
      path: '/repos/:owner/:repo/installation',
      auth: 'app',
      handler: (req) => {
        const installation = apps.installationFor(
          req.app!,
          `${req.params.owner}/${req.params.repo}`,
        );
        if (!installation) throw notFound();
        return { body: render(req.base, installation) };
      },
    },
    {
      // https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app
      method: 'POST',
      path: '/app/installations/:installation_id/access_tokens',
      auth: 'app',
      handler: (req) => {
        const installation = apps.installation(intParam(req, 'installation_id'));
        if (installation.app !== req.app) throw notFound();
        const body = (req.body ?? {}) as Record<string, unknown>;
        const minted = apps.mint(installation, {
          permissions: body.permissions as Record<string, string> | undefined,
          repositories: body.repositories as string[] | undefined,
          repository_ids: body.repository_ids as number[] | undefined,
        });
        return {
          status: 201,
          body: {
            token: minted.token,
            expires_at: iso(minted.expiresAt),
            permissions: minted.permissions,
            repository_selection: minted.selection,
            ...(minted.repositories && {
              repositories: minted.repositories.map((r) => repository(req.base, state, r)),
            }),
          },
        };
      },
    },
    {
      // https://docs.github.com/rest/apps/installations#revoke-an-installation-access-token
      method: 'DELETE',
      path: '/installation/token',
      // Not in GitHub's permission data: any installation token may revoke itself.
      permissions: [],
      handler: (req) => {
        if (req.grant?.kind !== 'installation')
          throw new HttpError(403, 'Resource not accessible by integration');
        tokens.revoke(tokenOf(req.headers.authorization) ?? '');
        return { status: 204 };
      },
    },
  ];
}
