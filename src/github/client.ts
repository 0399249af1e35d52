import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Octokit as Core } from '@octokit/core';
import { Octokit } from '@octokit/rest';

/**
 * The one way jit-access builds a GitHub REST client: a 5xx, a primary rate limit or a
 * secondary rate limit in the middle of a grant run is waited out a bounded number of times
 * instead of aborting the run, and every wait is reported through `log.warn`, never silent.
 */

export interface GitHubClientOptions {
  auth: string;
  baseUrl?: string;
  userAgent?: string;
  log?: Pick<Console, 'debug' | 'info' | 'warn' | 'error'>;
  /** Retries of one request after a 5xx or a rate limit; then the error surfaces. */
  retries?: number;
  /** Longest rate-limit wait worth taking; a longer one fails the request at once. */
  maxWaitSeconds?: number;
  /**
   * Test only: milliseconds one second of `retry-after` stands for (GitHub: 1000), and no
   * pacing of writes, so retry tests against the emulator finish in milliseconds.
   */
  testTiming?: { msPerSecond: number };
}

/**
 * plugin-retry retries a 5xx quietly; this says so, for every attempt. Applied before it, so
 * its hook runs inside the retry loop and sees each failure, not only the last.
 */
function reportServerErrors(octokit: Core, options: { retry?: { retries?: number } }) {
  const retries = options.retry?.retries ?? DEFAULT_RETRIES;
  octokit.hook.error('request', (error, request) => {
    const status = (error as { status?: number }).status ?? 0;
    const attempt = Number((request.request as { retryCount?: number }).retryCount ?? 0);
    if (status >= 500)
      octokit.log.warn(
        `GitHub answered ${status} to ${request.method} ${request.url}: ${
          attempt < retries ? `retrying (retry ${attempt + 1} of ${retries})` : 'giving up'
        }`,
      );
    throw error;
  });
}

const RetryingOctokit = Octokit.plugin(reportServerErrors, retry, throttling);
export type GitHubClient = InstanceType<typeof RetryingOctokit>;

export const DEFAULT_RETRIES = 3;
const DEFAULT_MAX_WAIT_SECONDS = 300;

export function createGitHubClient(opts: GitHubClientOptions): GitHubClient {
  const retries = opts.retries ?? DEFAULT_RETRIES;
  const maxWait = opts.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
  const msPerSecond = opts.testTiming?.msPerSecond ?? 1000;
  const log = opts.log ?? console;
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method?: string; url?: string },
      _o: unknown,
      count: number,
    ) => {
      const what = `${options.method ?? 'GET'} ${options.url ?? ''}`;
      const retrying = count < retries && retryAfter <= maxWait;
      log.warn(
        `GitHub ${kind} on ${what}: ${
          retrying
            ? `retrying in ${retryAfter}s (retry ${count + 1} of ${retries})`
            : `giving up after ${count} ${count === 1 ? 'retry' : 'retries'}${retryAfter > maxWait ? ` (asks to wait ${retryAfter}s)` : ''}`
        }`,
      );
      return retrying;
    };

  return new RetryingOctokit({
    auth: opts.auth,
    baseUrl: opts.baseUrl ?? 'https://api.github.com',
    userAgent: opts.userAgent ?? 'jit-access',
    log,
    retry: { retries, retryAfterBaseValue: msPerSecond },
    throttle: {
      retryAfterBaseValue: msPerSecond,
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
      ...(opts.testTiming && (unpaced() as object)),
    },
  });
}

/**
 * plugin-throttling paces writes (one a second, notifications one per three) through shared
 * Bottleneck groups, as GitHub asks of production clients; against the emulator that pacing
 * only slows tests, so test timing swaps in groups that schedule at once.
 */
function unpaced() {
  const immediate = {
    key: () => ({
      schedule: <A extends unknown[], R>(_job: unknown, fn: (...args: A) => R, ...args: A) =>
        Promise.resolve(fn(...args)),
    }),
  };
  return { write: immediate, notifications: immediate, search: immediate, global: immediate };
}
