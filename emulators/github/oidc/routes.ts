import { HttpError } from '../http/errors.js';
import type { Route } from '../http/router.js';
import type { OidcRuns } from './runs.js';

export const ISSUER_PATH = '/oidc';
export const TOKEN_PATH = '/_actions/idtoken';

/** The runner's token endpoint and the issuer's public documents; none use REST tokens. */
export function oidcRoutes(runs: OidcRuns): Route[] {
  return [
    {
      method: 'GET',
      path: TOKEN_PATH,
      auth: false,
      handler: async (req) => {
        const match = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
        const ctx = match?.[1] ? runs.run(match[1]) : undefined;
        if (!ctx) throw new HttpError(401, 'Bad credentials');
        const audience = req.query.get('audience') || undefined;
        return { body: { count: 1, value: await runs.mint(ctx, audience) } };
      },
    },
    {
      method: 'GET',
      path: `${ISSUER_PATH}/.well-known/openid-configuration`,
      auth: false,
      handler: () => ({ body: runs.issuer.discovery() }),
    },
    {
      method: 'GET',
      path: `${ISSUER_PATH}/.well-known/jwks`,
      auth: false,
      handler: () => ({ body: runs.issuer.jwks() }),
    },
  ];
}
