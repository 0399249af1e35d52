/**
 * Time as the emulated AWS sees it: credential and token expiry, `aws:CurrentTime`, CloudTrail
 * event times and retention, the LookupEvents rate limit. It follows real time until a test sets
 * it, and then stands still except when advanced, so time-bound behaviour is deterministic.
 */
export class Clock {
  private fixed: number | undefined;
  private offset = 0;

  constructor(start?: Date) {
    this.fixed = start?.getTime();
  }

  now(): Date {
    return new Date(this.fixed ?? Date.now() + this.offset);
  }

  /** Freezes time at `date`. */
  set(date: Date): void {
    this.fixed = date.getTime();
  }

  /** Lets time run on in real time from `date` (a test that needs the rate limits to refill). */
  runFrom(date: Date): void {
    this.fixed = undefined;
    this.offset = date.getTime() - Date.now();
  }

  /** Moves time forward (frozen or running). */
  advance(ms: number): void {
    if (this.fixed === undefined) this.offset += ms;
    else this.fixed += ms;
  }
}
