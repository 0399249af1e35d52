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
 * Largest count first; ties broken by the other fields' values as JSON text
 * (`JSON.stringify` of the row's entries but `count`), compared by code unit, so the order is
 * the same on every machine and locale.
 *
 * That text is compared one entry's JSON at a time, each made once and only when reached: an
 * entry's JSON (`["key",value]`) is never a proper prefix of another's, so the first entry that
 * differs decides as the whole text would, and a grant's row, which holds its actions, is told
 * from another by its policy and time without writing its actions out.
 */
export function sortRows(rows: Row[]): Row[] {
  const parts = new Map<Row, { entries: [string, unknown][]; json: string[] }>();
  const partsOf = (row: Row) => {
    let p = parts.get(row);
    if (!p)
      parts.set(
        row,
        (p = { entries: Object.entries(row).filter(([k]) => k !== 'count'), json: [] }),
      );
    return p;
  };
  const entry = (p: { entries: [string, unknown][]; json: string[] }, i: number): string =>
    (p.json[i] ??= JSON.stringify(p.entries[i]));
  return rows.sort((a, b) => {
    if (a.count !== b.count) return b.count - a.count;
    const pa = partsOf(a);
    const pb = partsOf(b);
    const n = Math.min(pa.entries.length, pb.entries.length);
    for (let i = 0; i < n; i++) {
      const ea = entry(pa, i);
      const eb = entry(pb, i);
      if (ea !== eb) return ea < eb ? -1 : 1;
    }
    // One row's entries are the other's first ones: the whole texts then differ at `]` (this
    // one ended) against `,` (more follow), and `,` sorts first.
    return pb.entries.length - pa.entries.length;
  });
}

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
