import { HttpError } from './errors.js';

/**
 * Failures GitHub really answers with, injected for the next requests so tests can prove a
 * client rides them out (or gives up in bounded time).
 */
export type Fault =
  /** A 5xx as GitHub's front end sends when a backend times out or fails. */
  | { kind: 'server-error'; status?: 500 | 502 | 503 | 504 }
  /**
   * A secondary rate limit: 403 with `retry-after` and the documented message
   * (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits).
   */
  | { kind: 'secondary-rate-limit'; retryAfterSeconds?: number };

export class Faults {
  /** Request number (counting REST requests from 1) -> the fault it gets. */
  private readonly due = new Map<number, Fault>();
  private seen = 0;

  /** The `count` REST requests after the next `after` ones fail with `fault`. */
  next(count: number, fault: Fault, opts: { after?: number } = {}): void {
    const first = this.seen + (opts.after ?? 0) + 1;
    for (let i = 0; i < count; i++) this.due.set(first + i, fault);
  }

  /** Faults scheduled but not yet served. */
  get pending(): number {
    return this.due.size;
  }

  clear(): void {
    this.due.clear();
  }

  /** Throws the fault due for this request, if any. */
  apply(requestId: string): void {
    this.seen += 1;
    const fault = this.due.get(this.seen);
    if (!fault) return;
    this.due.delete(this.seen);
    if (fault.kind === 'server-error') throw new HttpError(fault.status ?? 502, 'Server Error');
    throw new HttpError(
      403,
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
        `If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
      {},
      { 'retry-after': String(fault.retryAfterSeconds ?? 60) },
    );
  }
}
