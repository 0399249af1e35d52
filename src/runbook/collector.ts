import type { CloudTrailRecord } from './event.js';
import type { QueryResult, Row } from './model.js';

/** The window a run covers, and its UTC days (for series). */
export interface Window {
  from: Date;
  to: Date;
}

/**
 * One query's running aggregate: it sees each record once, as the source yields it, in no
 * particular order, and keeps only what its rows need.
 */
export interface Collector {
  /**
   * `own`: the principal made the call (otherwise it is a call by someone else on it); `at`:
   * its `eventTime` in ms, parsed once by the engine.
   */
  add(record: CloudTrailRecord, own: boolean, at: number): void;
  /** The rows, given the results of the queries before this one. */
  finish(earlier: readonly QueryResult[]): Row[];
}

/**
 * Largest count first; ties broken by the other fields' values as JSON text, compared by code
 * unit, so the order is the same on every machine and locale.
 */
export function byCount(a: Row, b: Row): number {
  if (a.count !== b.count) return b.count - a.count;
  const ka = tieKey(a);
  const kb = tieKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

const tieKey = (row: Row): string =>
  JSON.stringify(Object.entries(row).filter(([k]) => k !== 'count'));

export const sortRows = (rows: Row[], top?: number): Row[] => {
  const sorted = rows.sort(byCount);
  return top === undefined ? sorted : sorted.slice(0, top);
};

/** `2026-03-01T10:00:00Z` → `2026-03-01`: CloudTrail times are UTC. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The UTC day of a record: cut from its time when written as CloudTrail does (`…Z`). */
export const dayOfRecord = (eventTime: string, at: number): string =>
  eventTime.length >= 20 && eventTime.endsWith('Z') && eventTime[10] === 'T'
    ? eventTime.slice(0, 10)
    : dayOf(at);

/** Every UTC day the window touches, oldest first. */
export function windowDays(window: Window): string[] {
  const days: string[] = [];
  const last = dayOf(window.to.getTime());
  for (let t = window.from.getTime(); ; t += 86_400_000) {
    const day = dayOf(t);
    days.push(day);
    if (day >= last) return days;
  }
}
