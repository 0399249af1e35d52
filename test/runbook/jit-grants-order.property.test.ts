/**
 * Property: the earlier-grants rows and every query's row order are what the plain definitions
 * give, on generated inputs with the collisions that matter (the same policy attached and
 * detached several times, attachments and detachments at the same second, rows whose counts
 * tie, rows whose fields are prefixes of one another's). The definitions here are the direct
 * ones: each grant ends at the first later detachment of its policy, and ties break on the whole
 * row's JSON text.
 */
import fc from 'fast-check';
import { sortRows } from '../../src/runbook/collector.js';
import { jitGrantsCollector } from '../../src/runbook/analyses/jit-grants.js';
import type { CloudTrailRecord } from '../../src/runbook/event.js';
import type { JitGrantsQuery, Row } from '../../src/runbook/model.js';
import { parsePrincipal } from '../../src/runbook/principal.js';

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const T0 = Date.parse('2026-03-01T00:00:00Z');
const window = { from: new Date(T0), to: new Date(T0 + 100_000) };
const query: JitGrantsQuery = {
  kind: 'jit-grants',
  id: 'jit-grants',
  title: 'Grants',
  actor: 'principal',
  where: [],
  policyPath: '/jit/',
};
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');

type Event =
  | { kind: 'attach' | 'detach'; policy: number; s: number }
  | { kind: 'call'; action: number; s: number };

const event: fc.Arbitrary<Event> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('attach' as const, 'detach' as const),
    policy: fc.integer({ min: 0, max: 3 }),
    s: fc.integer({ min: 0, max: 100 }),
  }),
  fc.record({
    kind: fc.constant('call' as const),
    action: fc.integer({ min: 0, max: 4 }),
    s: fc.integer({ min: 0, max: 100 }),
  }),
);

function recordOf(e: Event): CloudTrailRecord {
  const eventTime = iso(T0 + e.s * 1000);
  if (e.kind === 'call')
    return {
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', arn: ALICE },
      eventTime,
      awsRegion: 'eu-west-1',
      eventSource: 's3.amazonaws.com',
      eventName: `Get${e.action}`,
    } as CloudTrailRecord;
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/b/x' },
    eventTime,
    awsRegion: 'us-east-1',
    eventSource: 'iam.amazonaws.com',
    eventName: e.kind === 'attach' ? 'AttachUserPolicy' : 'DetachUserPolicy',
    requestParameters: {
      userName: 'alice',
      policyArn: `arn:aws:iam::111122223333:policy/jit/p${e.policy}`,
    },
  } as CloudTrailRecord;
}

/** The rows by the definition: every attachment, its first later detachment searched for. */
function expectedRows(events: Event[]): Row[] {
  const marks = events
    .filter((e) => e.kind !== 'call')
    .map((e) => ({ ...e, attach: e.kind === 'attach' }))
    .sort((a, b) => a.s - b.s || Number(a.attach) - Number(b.attach));
  const calls = events.filter((e) => e.kind === 'call');
  const rows: Row[] = [];
  marks.forEach((a, i) => {
    if (!a.attach) return;
    const detach = marks.slice(i + 1).find((d) => !d.attach && d.policy === a.policy);
    const end = detach?.s ?? 100;
    const counts = new Map<string, number>();
    for (const c of calls)
      if (c.s >= a.s && c.s <= end)
        counts.set(`s3:Get${c.action}`, (counts.get(`s3:Get${c.action}`) ?? 0) + 1);
    const actions = [...counts].map(([action, count]) => ({ action, count })).sort(byWholeText);
    rows.push({
      policyArn: `arn:aws:iam::111122223333:policy/jit/p${a.policy}`,
      attachedAt: iso(T0 + a.s * 1000),
      detachedAt: detach ? iso(T0 + detach.s * 1000) : null,
      actions,
      count: actions.reduce((n, r) => n + r.count, 0),
    });
  });
  return rows.sort(byWholeText);
}

/** Ties broken by the whole row's JSON text but its count, by code unit. */
function byWholeText(a: Row, b: Row): number {
  if (a.count !== b.count) return b.count - a.count;
  const text = (row: Row) => JSON.stringify(Object.entries(row).filter(([k]) => k !== 'count'));
  const ka = text(a);
  const kb = text(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

test('each grant ends at its policy’s next detachment and counts the calls in between', () => {
  fc.assert(
    fc.property(fc.array(event, { maxLength: 60 }), (events) => {
      const collector = jitGrantsCollector(parsePrincipal(ALICE), query, window);
      for (const e of events) {
        const record = recordOf(e);
        collector.add(record, e.kind === 'call', Date.parse(record.eventTime));
      }
      expect(collector.finish([])).toEqual(expectedRows(events));
    }),
    { numRuns: 300 },
  );
});

test('rows sort as their whole JSON text would, without writing it out', () => {
  const value = fc.oneof(
    fc.constantFrom('a', 'ab', 'a"', 'a\\', 'b', '', 'é', 'a,b', '[', ']'),
    fc.constantFrom(1, 12, 2, -1, 0.5),
    fc.constant(null),
    fc.boolean(),
    fc.array(fc.constantFrom('a', 'ab', 1, null), { maxLength: 3 }),
  );
  const row: fc.Arbitrary<Row> = fc
    .tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.array(fc.tuple(fc.constantFrom('x', 'xy', 'y', 'z'), value), { maxLength: 4 }),
    )
    .map(([count, entries]) => ({ ...Object.fromEntries(entries), count }) as Row);
  fc.assert(
    fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
      expect(sortRows([...rows])).toEqual([...rows].sort(byWholeText));
    }),
    { numRuns: 500 },
  );
});
