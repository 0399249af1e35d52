import { eventTimeMs, type CloudTrailRecord, type EventSource } from './event.js';
import { resultOf, type Collector, type Window } from './collector.js';
import { groupCollector } from './group.js';
import { jitGrantsCollector } from './analyses/jit-grants.js';
import { requestedActionsCollector } from './analyses/requested-actions.js';
import { riskFlagsCollector } from './analyses/risk-flags.js';
import type { Query, QueryResult, Runbook, RunbookResult } from './model.js';
import { madeByPrincipal, parsePrincipal, type Principal } from './principal.js';
import { compileWhere } from './where.js';

/**
 * Runs a bound runbook over one pass of a source: every record goes through every query's
 * filter into its collector, and only the collectors' aggregates stay in memory.
 */
export async function runRunbook(
  runbook: Runbook,
  source: EventSource,
  now: Date,
  /** Regions to read (us-east-1, where IAM logs, is always read); all when absent. */
  regions?: string[],
): Promise<RunbookResult> {
  const whole = await collectRows(runbook, source, now, regions);
  return {
    runbook: runbook.name,
    window: windowOf(runbook, now),
    results: runbook.queries.map((query, i) => resultOf(query, whole[i]!.rows)),
  };
}

/** The window a run covers, as the JSON form shows it. */
export const windowOf = (runbook: Runbook, now: Date): RunbookResult['window'] => ({
  from: new Date(now.getTime() - runbook.sinceMs).toISOString(),
  to: now.toISOString(),
});

/**
 * Every row of every query, in the runbook's order, none cut to `top`: what risk flags are
 * derived from and what `resultOf` cuts for the output.
 */
export async function collectRows(
  runbook: Runbook,
  source: EventSource,
  now: Date,
  regions?: string[],
): Promise<QueryResult[]> {
  const window: Window = { from: new Date(now.getTime() - runbook.sinceMs), to: now };
  const principal = parsePrincipal(runbook.principal);
  const madeBy = madeByPrincipal(principal);
  const queries = runbook.queries.map((query) => ({
    query,
    // An empty `where` matches every record: no call at all.
    matches: query.where.length > 0 ? compileWhere(query.where, window.to) : undefined,
    collector: collectorFor(query, principal, window),
  }));
  // Which queries see a record is settled once per run, not per record and query: the
  // principal's own calls go to every query that reads records, others' calls on it only to
  // those that count anyone's (and jit-grants, which finds the attachments among them). Risk
  // flags are read from earlier results, never from records.
  const reading = queries.filter(({ query }) => query.kind !== 'risk-flags');
  const forOwn = reading.map(({ matches, collector }) => ({ matches, collector }));
  const forOthers = reading
    .filter(({ query }) => query.actor !== 'principal' || query.kind === 'jit-grants')
    .map(({ matches, collector }) => ({ matches, collector }));
  const from = window.from.getTime();
  const to = window.to.getTime();
  const includeActsOn = runbook.queries.some(
    (q) => q.actor === 'anyone' || q.kind === 'jit-grants',
  );
  const query = {
    from: window.from,
    to: window.to,
    principal,
    includeActsOn,
    ...(regions?.length ? { regions } : {}),
  };
  const stream = source.batches?.(query) ?? singles(source.events(query));
  for await (const batch of stream) {
    for (let r = 0; r < batch.length; r++) {
      const record = batch[r]!;
      // Sources read by day or by API window; the engine holds the exact bounds, [from, to].
      const at = eventTimeMs(record.eventTime);
      if (!(at >= from && at <= to)) continue;
      const own = madeBy(record);
      const targets = own ? forOwn : forOthers;
      for (let q = 0; q < targets.length; q++) {
        const { matches, collector } = targets[q]!;
        if (matches === undefined || matches(record)) collector.add(record, own, at);
      }
    }
  }
  const whole: QueryResult[] = [];
  for (const { query, collector } of queries)
    whole.push({ id: query.id, title: query.title, rows: collector.finish(whole) });
  return whole;
}

function collectorFor(query: Query, principal: Principal, window: Window): Collector {
  switch (query.kind) {
    case 'group':
      return groupCollector(query, window);
    case 'requested-actions':
      return requestedActionsCollector(query);
    case 'jit-grants':
      return jitGrantsCollector(principal, query, window);
    case 'risk-flags':
      return riskFlagsCollector(query);
  }
}

async function* singles(
  records: AsyncIterable<CloudTrailRecord>,
): AsyncIterable<CloudTrailRecord[]> {
  for await (const record of records) yield [record];
}
