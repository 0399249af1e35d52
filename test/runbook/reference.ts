/**
 * An obviously simple reference for the fixture's expected figures, independent of the engine:
 * every record in memory, plain filters and counts, no shared code with src/runbook. The same
 * figures by jq are in test/fixtures/cloudtrail/README.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export type Rec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function allRecords(root: string): Rec[] {
  const out: Rec[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json.gz'))
        out.push(...(JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')).Records as Rec[]));
    }
  };
  walk(root);
  return out;
}

/** The requester's own records in [from, to]. */
export const aliceIn = (records: Rec[], arn: string, from: Date, to: Date): Rec[] =>
  records.filter(
    (r) =>
      r.userIdentity?.arn === arn && new Date(r.eventTime) >= from && new Date(r.eventTime) <= to,
  );

/** Counts by a key function, as [key, count] sorted by count then key. */
export function countBy(records: Rec[], key: (r: Rec) => string): [string, number][] {
  const counts: Record<string, number> = {};
  for (const r of records) counts[key(r)] = (counts[key(r)] ?? 0) + 1;
  return Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
