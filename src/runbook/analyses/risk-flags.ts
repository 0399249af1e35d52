import { sortRows, type Collector } from '../collector.js';
import type { QueryResult, RiskFlagsQuery, Row } from '../model.js';

/**
 * Flags raised by the rows of earlier queries: a flag is raised when at least one row matches
 * all its fields; `rows` is how many did and `count` the sum of their counts. Flags not raised
 * are left out, so the report lists only what needs a reviewer's eye.
 */
export function riskFlagsCollector(query: RiskFlagsQuery): Collector {
  return {
    add() {},
    finish(earlier: readonly QueryResult[]) {
      const rows = query.flags.flatMap((flag): Row[] => {
        const source = earlier.find((r) => r.id === flag.query)?.rows ?? [];
        const matching = source.filter((row) =>
          Object.entries(flag.match).every(([field, value]) => row[field] === value),
        );
        if (matching.length === 0) return [];
        const count = matching.reduce((n, r) => n + r.count, 0);
        return [{ flag: flag.id, title: flag.title, rows: matching.length, count }];
      });
      return sortRows(rows);
    },
  };
}
