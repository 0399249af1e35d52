import type { TokenGrant, TokenKind } from '../auth.js';
import { HttpError } from './errors.js';

/**
 * GitHub's primary REST rate limits, as
 * https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api documents them:
 *
 * - `GITHUB_TOKEN`: 1,000 requests an hour per repository, shared by every workflow run's token
 *   in it (15,000 for resources of an Enterprise Cloud account: not modelled, the lower figure
 *   is the stricter one);
 * - an App installation: 5,000 an hour, shared by all its tokens (it grows by 50 per repository
 *   past 20 and per organisation member past 20, up to 12,500, and is 15,000 on Enterprise
 *   Cloud: the emulator keeps the minimum);
 * - a person: 5,000 an hour, shared by all their tokens.
 *
 * A window opens at the first request and closes an hour later (`x-ratelimit-reset`), on the
 * emulator's clock. Past the limit GitHub answers "a `403` or `429` response, and the
 * `x-ratelimit-remaining` header will be `0`", and a client "should not retry your request until
 * after the time specified by the `x-ratelimit-reset` header"; no `retry-after` is sent (that
 * header belongs to secondary limits, see faults.ts).
 */
export const PRIMARY_LIMITS: Readonly<Record<TokenKind, number>> = {
  'github-token': 1000,
  installation: 5000,
  user: 5000,
};

const WINDOW_MS = 3_600_000;

export interface RateLimitSettings {
  /** Requests an hour per budget, by token kind: lower them to reach a limit in a test. */
  limits: Record<TokenKind, number>;
  /** The status of a spent primary limit: GitHub documents both 403 and 429. */
  status: 403 | 429;
}

interface Window {
  used: number;
  resetAt: number;
}

export class RateLimits {
  readonly settings: RateLimitSettings;
  /** Budgets by what they belong to: a repository, an installation, a person, or one token. */
  private readonly windows = new Map<unknown, Window>();

  constructor(
    private readonly clock: () => Date,
    settings: Partial<RateLimitSettings> = {},
  ) {
    this.settings = {
      status: settings.status ?? 403,
      limits: { ...PRIMARY_LIMITS, ...settings.limits },
    };
  }

  /**
   * Counts one request against the budget the token draws on, and answers with GitHub's
   * `x-ratelimit-*` headers; `refusal` is set when the budget was already spent.
   */
  count(grant: TokenGrant): { headers: Record<string, string>; refusal?: HttpError } {
    const now = this.clock().getTime();
    const key = budgetOf(grant);
    let window = this.windows.get(key);
    if (!window || now >= window.resetAt) {
      window = { used: 0, resetAt: now + WINDOW_MS };
      this.windows.set(key, window);
    }
    window.used += 1;
    grant.requests += 1;
    // A token made with its own `rateLimit` sees that instead (test setup).
    const limit = grant.rateLimit ?? this.settings.limits[grant.kind];
    const headers = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - window.used)),
      'x-ratelimit-used': String(Math.min(window.used, limit)),
      'x-ratelimit-reset': String(Math.ceil(window.resetAt / 1000)),
      'x-ratelimit-resource': 'core',
    };
    if (window.used <= limit) return { headers };
    return {
      headers,
      refusal: new HttpError(this.settings.status, `API rate limit exceeded for ${who(grant)}.`),
    };
  }
}

/** What a token's requests count against. */
function budgetOf(grant: TokenGrant): unknown {
  if (grant.kind === 'user') return `user:${grant.login.toLowerCase()}`;
  if (grant.kind === 'installation')
    return grant.installationId === undefined ? grant : `installation:${grant.installationId}`;
  // A GITHUB_TOKEN is bound to its repository by its first request to one (auth.ts).
  const [repository, ...more] = grant.repositories ?? [];
  return repository && more.length === 0 ? `repository:${repository}` : grant;
}

const who = (grant: TokenGrant): string =>
  grant.installationId === undefined ? grant.login : `installation ID ${grant.installationId}`;
