export type FaultKind = 'throttle' | '5xx' | 'latency' | 'drop-after-apply';

export interface FaultSpec {
  /** API action name (`CreatePolicy`, `LookupEvents`, ...); every action when absent. */
  action?: string;
  kind: FaultKind;
  /** How many matching calls it hits; 1 by default, unlimited when `rate` is set. */
  times?: number;
  /** Delay for `latency`, in real milliseconds. */
  ms?: number;
  /** Hit each matching call with this probability (0..1), from a seeded generator. */
  rate?: number;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

/**
 * Injected failures, consumed in injection order. `throttle` and `5xx` answer with AWS's error
 * before anything changes; `latency` delays the call; `drop-after-apply` makes the change and
 * then closes the connection without an answer, the case where a retry meets its own success.
 */
export class Faults {
  private active: ActiveFault[] = [];
  private random = mulberry32(1);

  inject(spec: FaultSpec): void {
    const remaining = spec.times ?? (spec.rate === undefined ? 1 : Infinity);
    this.active.push({ ...spec, remaining });
  }

  /** Reseeds the generator behind `rate`, for reproducible fault runs. */
  seed(n: number): void {
    this.random = mulberry32(n);
  }

  clear(): void {
    this.active = [];
  }

  /** The faults that hit this call (at most one of each kind), with their counts consumed. */
  take(action: string): ActiveFault[] {
    const hits: ActiveFault[] = [];
    for (const fault of this.active) {
      if (fault.remaining <= 0 || (fault.action !== undefined && fault.action !== action)) continue;
      if (hits.some((h) => h.kind === fault.kind)) continue;
      if (fault.rate !== undefined && this.random() >= fault.rate) continue;
      fault.remaining -= 1;
      hits.push(fault);
    }
    this.active = this.active.filter((f) => f.remaining > 0);
    return hits;
  }
}

/** A small seeded PRNG: the same seed gives the same fault pattern on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
