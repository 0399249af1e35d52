import type { Clock } from '../clock.js';

/**
 * LookupEvents' quota: 2 requests per second per account per region, as a token bucket with a
 * burst of 2 that refills on the emulator's clock. On a frozen clock, a test gets exactly two
 * calls and then must advance time, so throttling is deterministic; on a running clock it
 * behaves like AWS in real time.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    readonly perSecond = 2,
    readonly burst = 2,
  ) {}

  /** Takes one request's token; false means throttle. */
  take(key: string): boolean {
    const now = this.clock.now().getTime();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    // A clock set backwards refills nothing rather than draining the bucket.
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(this.burst, bucket.tokens + elapsed * this.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
