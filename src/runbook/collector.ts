import type { CloudTrailRecord } from './event.js';
import type { Query, QueryResult, Row } from './model.js';

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
  /**
   * Every row, sorted, given the results of the queries before this one (also whole): the
   * engine cuts them to the query's `top` only for the output (`resultOf`), so nothing derived
   * from them, a risk flag or a total, counts only the rows shown.
   */
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

export const sortRows = (rows: Row[]): Row[] => rows.sort(byCount);

/**
 * A query's result from all its sorted rows: the first `top` of them, and the exact `total` of
 * all (how many rows, the sum of their counts), so a report never passes the rows shown off as
 * the whole.
 */
export function resultOf(query: Pick<Query, 'id' | 'title' | 'top'>, rows: Row[]): QueryResult {
  let count = 0;
  for (const row of rows) count += row.count;
  return {
    id: query.id,
    title: query.title,
    total: { rows: rows.length, count },
    rows: query.top === undefined ? rows : rows.slice(0, query.top),
  };
}

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
