/**
 * A client-side limiter: at most `perSecond` calls in any one-second window, so normal operation
 * never meets the service's throttling. Calls wait their turn in order.
 *
 * `take` counts a call from when it starts. `run` counts it from when its answer came back: the
 * service counts a call when it arrives, which is later than the start by a varying latency, so
 * "two starts a second" can still be three arrivals in one second (a slow call, then two fast
 * ones). Counting from completion is the one bound that holds whatever the latency.
 */
export class RateLimiter {
  /** When each call in the last second counted, oldest first. */
  private readonly times: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly perSecond: number,
    private readonly clock: () => number = () => Date.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((done) => setTimeout(done, ms)),
  ) {}

  take(): Promise<void> {
    return this.turn(() => undefined);
  }

  /** Runs `call` in its turn; its slot is held until it settles and counted from then. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    let started = 0;
    await this.turn((at) => (started = at));
    try {
      return await call();
    } finally {
      // Its start may already have aged out of the window, if the call took over a second.
      const slot = this.times.indexOf(started);
      if (slot >= 0) this.times.splice(slot, 1);
      const done = this.clock();
      const at = this.times.findIndex((t) => t > done);
      this.times.splice(at < 0 ? this.times.length : at, 0, done);
    }
  }

  /** Waits for a free slot and takes it, telling `taken` the time it did. */
  private turn(taken: (at: number) => void): Promise<void> {
    const turn = this.queue.then(() => this.wait(taken));
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async wait(taken: (at: number) => void): Promise<void> {
    for (;;) {
      const now = this.clock();
      while (this.times.length > 0 && now - this.times[0]! >= 1000) this.times.shift();
      if (this.times.length < this.perSecond) {
        this.times.push(now);
        taken(now);
        return;
      }
      await this.sleep(1000 - (now - this.times[0]!));
    }
  }
}
