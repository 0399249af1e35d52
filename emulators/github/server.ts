import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitHubApps } from './apps.js';
import { TokenStore } from './auth.js';
import { Faults } from './http/faults.js';
import { RateLimits, type RateLimitSettings } from './http/rate-limits.js';
import { Router, type RouteInfo } from './http/router.js';
import { OidcIssuer } from './oidc/issuer.js';
import { ISSUER_PATH, TOKEN_PATH, oidcRoutes } from './oidc/routes.js';
import { OidcRuns } from './oidc/runs.js';
import { actionsRoutes } from './routes/actions.js';
import { appRoutes } from './routes/apps.js';
import { archiveRoutes } from './routes/archive.js';
import { codeownersRoutes } from './routes/codeowners.js';
import { commentRoutes } from './routes/comments.js';
import { contentRoutes } from './routes/contents.js';
import { environmentRoutes } from './routes/environments.js';
import { gitRoutes } from './routes/git.js';
import { protectionRoutes } from './routes/protection.js';
import { pullRoutes } from './routes/pulls.js';
import { repoRoutes } from './routes/repos.js';
import { reviewRequestRoutes } from './routes/review-requests.js';
import { reviewRoutes } from './routes/reviews.js';
import { rulesetRoutes } from './routes/rulesets.js';
import { teamRoutes } from './routes/teams.js';
import { GitHubState } from './state.js';

export interface GitHubEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Time as GitHub sees it: timestamps, token lifetimes, rate-limit resets. */
  clock?: () => Date;
  /** Primary rate limits lower than GitHub's, or answered with 429 instead of 403. */
  rateLimits?: Partial<RateLimitSettings>;
}

export interface GitHubEmulator {
  /** REST base URL: Octokit's `baseUrl`. */
  url: string;
  /** The world tests set up and inspect. */
  state: GitHubState;
  /** REST access tokens with chosen permissions. */
  tokens: TokenStore;
  /** GitHub Apps, their installations and installation tokens. */
  apps: GitHubApps;
  /** Failures (5xx, secondary rate limits) for the next REST requests. */
  faults: Faults;
  /** Primary rate limits: `rateLimits.settings` may be lowered while running. */
  rateLimits: RateLimits;
  /** The routes served and the permission each checks. */
  routes: RouteInfo[];
  /** Actions OIDC: runs, request URL, issuer. */
  oidc: OidcRuns;
  close(): Promise<void>;
}

/** Starts a GitHub REST API and Actions OIDC issuer on loopback. */
export async function startGitHubEmulator(
  opts: GitHubEmulatorOptions = {},
): Promise<GitHubEmulator> {
  const clock = opts.clock ?? (() => new Date());
  const state = new GitHubState(clock);
  const tokens = new TokenStore(clock);
  const apps = new GitHubApps(state, tokens, clock);
  const faults = new Faults();
  const rateLimits = new RateLimits(clock, opts.rateLimits);
  let url = '';
  const issuer = await OidcIssuer.create(() => `${url}${ISSUER_PATH}`);
  const oidc = new OidcRuns(state, issuer, () => `${url}${TOKEN_PATH}?api-version=2.0`);
  const router = new Router({
    tokens,
    clock,
    base: () => url,
    authenticateApp: (header) => apps.authenticate(header),
    faults,
    rateLimits,
  });
  router.add(
    ...oidcRoutes(oidc),
    ...repoRoutes(state),
    ...pullRoutes(state),
    ...reviewRoutes(state),
    ...reviewRequestRoutes(state),
    ...commentRoutes(state),
    ...contentRoutes(state),
    ...archiveRoutes(state, clock),
    ...gitRoutes(state),
    ...teamRoutes(state),
    ...codeownersRoutes(state),
    ...protectionRoutes(state),
    ...rulesetRoutes(state),
    ...environmentRoutes(state),
    ...actionsRoutes(state),
    ...appRoutes(state, apps, tokens),
  );

  const server = createServer((req, res) => void router.handle(req, res));
  // Loopback only: the emulator accepts any registered token and must not face a network.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    state,
    tokens,
    apps,
    faults,
    rateLimits,
    routes: router.table(),
    oidc,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
