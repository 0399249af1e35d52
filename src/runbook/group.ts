import type { CloudTrailRecord } from './event.js';
import { dayOfRecord, sortRows, windowDays, type Collector, type Window } from './collector.js';
import type { GroupQuery, Row, Scalar } from './model.js';
import { fieldReader, rowValue } from './where.js';

/** One group's tallies, however they were counted (records here, SQL rows for Athena). */
export interface Group {
  values: Scalar[];
  count: number;
  days?: Map<string, number>;
  /** Earliest record: its time in ms and as the record wrote it. */
  first?: { ms: number; text: string };
}

/**
 * Counts per distinct `groupBy` values; memory grows with distinct values, not records. Groups
 * are found through one Map per field, keyed by the values themselves (Map keys compare as
 * `JSON.stringify` of a row value would, 0 and -0 alike), so a record costs a lookup per field
 * and no key text.
 */
export function groupCollector(query: GroupQuery, window: Window): Collector {
  /** Every group, in the order first seen. */
  const groups: Group[] = [];
  const readers = query.groupBy.map(fieldReader);
  const depth = readers.length;
  /** Nested by field: a Map per field, its last level holding the groups. */
  const root = new Map<Scalar, unknown>();
  const series = query.series;
  const firstSeen = query.firstSeen !== undefined;
  const newGroup = (values: Scalar[]): Group => {
    const group: Group = { values, count: 0, ...(series ? { days: new Map() } : {}) };
    groups.push(group);
    return group;
  };
  const find = (record: CloudTrailRecord): Group => {
    if (depth === 0) return groups[0] ?? newGroup([]);
    let level = root;
    for (let i = 0; i < depth - 1; i++) {
      const value = rowValue(readers[i]!(record));
      let next = level.get(value) as Map<Scalar, unknown> | undefined;
      if (!next) level.set(value, (next = new Map()));
      level = next;
    }
    const value = rowValue(readers[depth - 1]!(record));
    let group = level.get(value) as Group | undefined;
    if (!group) {
      // Read again, only for a new group: the values it shows.
      group = newGroup(readers.map((read) => rowValue(read(record))));
      level.set(value, group);
    }
    return group;
  };
  return {
    add(record: CloudTrailRecord, _own: boolean, ms: number) {
      const group = find(record);
      group.count++;
      if (group.days) {
        const day = dayOfRecord(record.eventTime, ms);
        group.days.set(day, (group.days.get(day) ?? 0) + 1);
      }
      if (firstSeen && (!group.first || ms < group.first.ms))
        group.first = { ms, text: record.eventTime };
    },
    finish() {
      // With no groupBy there is one row, the total, even when nothing matched.
      if (depth === 0 && groups.length === 0) newGroup([]);
      return groupRows(groups, query, window);
    },
  };
}

/** A group query's rows from its groups: fields, first-seen and series, sorted, all of them. */
export function groupRows(groups: Iterable<Group>, query: GroupQuery, window: Window): Row[] {
  const days = query.series ? windowDays(window) : [];
  const recentFrom = query.firstSeen && window.to.getTime() - query.firstSeen.recentMs;
  const rows = [...groups].map((g): Row => {
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
  return sortRows(rows);
}
