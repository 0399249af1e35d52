import type { CloudTrailRecord } from './event.js';
import { dayOfRecord, sortRows, windowDays, type Collector, type Window } from './collector.js';
import type { GroupQuery, Row, Scalar } from './model.js';
import { fieldReader, rowValue } from './where.js';

interface Group {
  values: Scalar[];
  count: number;
  days?: Map<string, number>;
  /** Earliest record: its time in ms and as the record wrote it. */
  first?: { ms: number; text: string };
}

/** Counts per distinct `groupBy` values; memory grows with distinct values, not records. */
export function groupCollector(query: GroupQuery, window: Window): Collector {
  const groups = new Map<string, Group>();
  const readers = query.groupBy.map(fieldReader);
  return {
    add(record: CloudTrailRecord, _own: boolean, ms: number) {
      const values = readers.map((read) => rowValue(read(record)));
      // One text field (the usual case) is its own key; anything else is keyed by its JSON.
      const only = values.length === 1 ? values[0] : undefined;
      const key = typeof only === 'string' ? only : `\u0000${JSON.stringify(values)}`;
      let group = groups.get(key);
      if (!group) {
        group = { values, count: 0, ...(query.series ? { days: new Map() } : {}) };
        groups.set(key, group);
      }
      group.count++;
      if (group.days) {
        const day = dayOfRecord(record.eventTime, ms);
        group.days.set(day, (group.days.get(day) ?? 0) + 1);
      }
      if (query.firstSeen && (!group.first || ms < group.first.ms))
        group.first = { ms, text: record.eventTime };
    },
    finish() {
      const days = query.series ? windowDays(window) : [];
      const recentFrom = query.firstSeen && window.to.getTime() - query.firstSeen.recentMs;
      // With no groupBy there is one row, the total, even when nothing matched.
      if (query.groupBy.length === 0 && groups.size === 0)
        groups.set('\u0000[]', {
          values: [],
          count: 0,
          ...(query.series ? { days: new Map() } : {}),
        });
      const rows = [...groups.values()].map((g): Row => {
        const fields: Record<string, unknown> = {};
        query.groupBy.forEach((path, i) => (fields[path] = g.values[i] ?? null));
        if (recentFrom !== undefined && g.first) {
          fields.firstSeen = g.first.text;
          fields.new = g.first.ms >= recentFrom;
        }
        if (g.days) fields.series = Object.fromEntries(days.map((d) => [d, g.days!.get(d) ?? 0]));
        // The count last, as the JSON form shows it: the group-by fields, then the count.
        return { ...fields, count: g.count };
      });
      return sortRows(rows, query.top);
    },
  };
}
