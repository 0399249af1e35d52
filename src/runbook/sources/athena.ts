/**
 * Amazon Athena over the trail's S3 bucket (the CloudTrail table in `../sql/cloudtrail-table.ts`)
 * as a runbook engine. `runRunbookAthena` gives the same `RunbookResult` as `runRunbook` over
 * the files or LookupEvents sources: group queries run in Athena as aggregates (see
 * `../sql/compile.ts` for what compiles), the rest run through the ordinary engine on the
 * principal's records, which `athenaSource` reads with one query.
 *
 * Each query: `StartQueryExecution` (the SQL with `?` placeholders, the values as
 * `ExecutionParameters`, the workgroup and output location), `GetQueryExecution` polled with
 * backoff until it ends, then `GetQueryResults` paged (the first page's first row is the
 * header) and each value converted by its column's type.
 *
 * Records read back for the client-side analyses have the table's columns only: `resources`
 * (an array, with no portable text form in results) and fields outside the documented table
 * (e.g. `managementEvent`) are absent, so a runbook grouping by those differs from the files
 * source; the default runbook does not.
 */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type AthenaClient,
  type ColumnInfo,
} from '@aws-sdk/client-athena';
import { dayOf, resultOf, type Window } from '../collector.js';
import { groupRows, type Group } from '../group.js';
import { collectRows, windowOf } from '../engine.js';
import type { CloudTrailRecord, EventQuery, EventSource } from '../event.js';
import { riskFlagsCollector } from '../analyses/risk-flags.js';
import { parsePrincipal } from '../principal.js';
import type { GroupQuery, QueryResult, Row, Runbook, RunbookResult, Scalar } from '../model.js';
import { CLOUDTRAIL_COLUMNS } from '../sql/cloudtrail-table.js';
import {
  athenaLiteral,
  compileEvents,
  compileGroup,
  leafFields,
  type CompiledGroup,
  type SqlField,
  type SqlQuery,
} from '../sql/compile.js';

/** GetQueryResults returns at most 1,000 rows a page. */
export const ATHENA_PAGE_SIZE = 1000;

export interface AthenaOptions {
  client: AthenaClient;
  /** `database.table` of the CloudTrail table. */
  table: string;
  workGroup?: string;
  /** `s3://…` for the results, unless the workgroup sets one. */
  outputLocation?: string;
  /** Backoff of GetQueryExecution polls: first wait, ceiling, and how long to wait in all. */
  poll?: { initialMs?: number; maxMs?: number; timeoutMs?: number };
  /** Tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Group queries run at once (Athena's DML concurrency quota is per account). */
  concurrency?: number;
}

export type ResultRow = Record<string, Scalar>;

/** Runs one statement and yields its rows page by page, typed by the result's column types. */
export async function* runAthenaQuery(
  options: AthenaOptions,
  query: SqlQuery,
): AsyncIterable<ResultRow[]> {
  const { client } = options;
  const started = await client.send(
    new StartQueryExecutionCommand({
      QueryString: query.sql,
      ...(query.params.length ? { ExecutionParameters: query.params.map(athenaLiteral) } : {}),
      ...(options.workGroup ? { WorkGroup: options.workGroup } : {}),
      ...(options.outputLocation
        ? { ResultConfiguration: { OutputLocation: options.outputLocation } }
        : {}),
    }),
  );
  const id = started.QueryExecutionId;
  if (!id) throw new Error('Athena started no query execution');
  await waitFor(options, id);
  let token: string | undefined;
  let first = true;
  do {
    const page = await client.send(
      new GetQueryResultsCommand({
        QueryExecutionId: id,
        MaxResults: ATHENA_PAGE_SIZE,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    const columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    const rows = (page.ResultSet?.Rows ?? []).slice(first ? 1 : 0);
    first = false;
    yield rows.map((row) => {
      const out: ResultRow = {};
      columns.forEach((column, i) => {
        out[column.Name ?? `_col${i}`] = typed(column, row.Data?.[i]?.VarCharValue);
      });
      return out;
    });
    token = page.NextToken;
  } while (token);
}

async function waitFor(options: AthenaOptions, id: string): Promise<void> {
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  let delay = options.poll?.initialMs ?? 200;
  const max = options.poll?.maxMs ?? 5000;
  const deadline = Date.now() + (options.poll?.timeoutMs ?? 30 * 60_000);
  for (;;) {
    const { QueryExecution: execution } = await options.client.send(
      new GetQueryExecutionCommand({ QueryExecutionId: id }),
    );
    const state = execution?.Status?.State;
    if (state === 'SUCCEEDED') return;
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason =
        execution?.Status?.StateChangeReason ?? execution?.Status?.AthenaError?.ErrorMessage;
      throw new Error(`Athena query ${id} ${state}${reason ? `: ${reason}` : ''}`);
    }
    if (Date.now() > deadline) throw new Error(`Athena query ${id} still ${state} after waiting`);
    await sleep(delay);
    delay = Math.min(max, delay * 2);
  }
}

/** A result value by its column's type; Athena sends every value as text, NULL as none. */
function typed(column: ColumnInfo, text: string | undefined): Scalar {
  if (text === undefined) return null;
  switch (column.Type?.toLowerCase()) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'double':
    case 'real':
    case 'float':
    case 'decimal':
      return Number(text);
    case 'boolean':
      return text === 'true';
    default:
      return text;
  }
}

const JSON_COLUMNS = new Set(
  CLOUDTRAIL_COLUMNS.filter((c) => c.type === 'json').map((c) => c.name),
);

/** A record rebuilt from a `compileEvents` row: null columns are absent fields. */
function recordOf(fields: SqlField[], row: ResultRow): CloudTrailRecord {
  const record: Record<string, unknown> = {};
  fields.forEach((field, i) => {
    const value = row[`c${i}`];
    if (value === null || value === undefined) return;
    const keys = field.path.split('.');
    let target = record;
    for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    const key = keys[keys.length - 1]!;
    if (field.kind === 'boolean') target[key] = value === 'true' || value === true;
    else if (JSON_COLUMNS.has(field.path) && typeof value === 'string') {
      try {
        target[key] = JSON.parse(value) as unknown;
      } catch {
        target[key] = value;
      }
    } else target[key] = value;
  });
  return record as unknown as CloudTrailRecord;
}

/**
 * The principal's records (and calls on it, with `includeActsOn`) as an event source: one query,
 * a batch per result page. Fields the table does not have (see `cloudtrail-table.ts`), and
 * `resources`, are absent from the records.
 */
export interface AthenaEventSource extends EventSource {
  /** The whole runbook with group queries as Athena aggregates: `runRunbookAthena`. */
  runRunbook(runbook: Runbook, now: Date, regions?: string[]): Promise<RunbookResult>;
}

export function athenaSource(options: AthenaOptions): AthenaEventSource {
  async function* batches(query: EventQuery): AsyncIterable<CloudTrailRecord[]> {
    const fields = leafFields();
    for await (const page of runAthenaQuery(options, compileEvents(options.table, query)))
      yield page.map((row) => recordOf(fields, row));
  }
  return {
    name: 'athena',
    batches,
    async *events(query) {
      for await (const batch of batches(query)) yield* batch;
    },
    runRunbook: (runbook, now, regions) => runRunbookAthena(runbook, options, now, regions),
  };
}

/**
 * A group value as the other sources show it (`rowValue`): readonly's text back to a boolean,
 * a JSON path's JSON text to its value (an object as its JSON).
 */
function decode(field: SqlField, value: Scalar): Scalar {
  if (value === null) return null;
  if (field.kind === 'boolean') return value === 'true' || value === true;
  if (field.json && typeof value === 'string') {
    const parsed = JSON.parse(value) as unknown;
    return parsed !== null && typeof parsed === 'object'
      ? JSON.stringify(parsed)
      : (parsed as Scalar);
  }
  return typeof value === 'string' ? value : String(value);
}

/** The rows of a compiled group query, as `groupCollector` makes them from records. */
async function groupResult(
  options: AthenaOptions,
  query: GroupQuery,
  compiled: CompiledGroup,
  window: Window,
): Promise<Row[]> {
  const groups = new Map<string, Group>();
  for await (const page of runAthenaQuery(options, compiled)) {
    for (const row of page) {
      const values = compiled.fields.map((f, i) => decode(f, row[`g${i}`] ?? null));
      const key = JSON.stringify(values);
      let group = groups.get(key);
      if (!group) {
        group = { values, count: 0, ...(query.series ? { days: new Map() } : {}) };
        groups.set(key, group);
      }
      const n = Number(row.n);
      group.count += n;
      if (group.days && typeof row.event_day === 'string') {
        const day = row.event_day.length === 10 ? row.event_day : dayOf(Date.parse(row.event_day));
        group.days.set(day, (group.days.get(day) ?? 0) + n);
      }
      if (query.firstSeen && typeof row.first_seen === 'string') {
        const ms = Date.parse(row.first_seen);
        if (!group.first || ms < group.first.ms) group.first = { ms, text: row.first_seen };
      }
    }
  }
  // A total over nothing is one row of 0 (count(*) without GROUP BY): the same as no row.
  if (query.groupBy.length === 0 && groups.size === 0)
    groups.set('[]', { values: [], count: 0, ...(query.series ? { days: new Map() } : {}) });
  return groupRows(groups.values(), query, window);
}

/**
 * Runs `work` on each item, at most `limit` at a time, results in the items' order. After a
 * failure no new item starts, and the ones running are waited for before it is thrown.
 */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        out[i] = await work(items[i]!);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return out;
}

/**
 * The runbook on Athena: same window, same rows, same order as `runRunbook` on any other source.
 */
export async function runRunbookAthena(
  runbook: Runbook,
  options: AthenaOptions,
  now: Date,
  regions?: string[],
): Promise<RunbookResult> {
  const window: Window = { from: new Date(now.getTime() - runbook.sinceMs), to: now };
  const base = {
    from: window.from,
    to: window.to,
    principal: parsePrincipal(runbook.principal),
    ...(regions?.length ? { regions } : {}),
  };
  const compiled = new Map<string, CompiledGroup>();
  for (const query of runbook.queries) {
    if (query.kind !== 'group') continue;
    const sql = compileGroup(
      options.table,
      query,
      { ...base, includeActsOn: query.actor === 'anyone' },
      window.to,
    );
    if (sql) compiled.set(query.id, sql);
  }
  const clientSide = runbook.queries.filter((q) => q.kind !== 'risk-flags' && !compiled.has(q.id));
  const aggregates = [...compiled];
  // Both halves settle before a failure is thrown: no query is left running unread.
  const [groupedRun, restRun] = await Promise.allSettled([
    pool(aggregates, options.concurrency ?? 4, ([id, sql]) =>
      groupResult(options, runbook.queries.find((q) => q.id === id) as GroupQuery, sql, window),
    ),
    clientSide.length
      ? collectRows({ ...runbook, queries: clientSide }, athenaSource(options), now, regions)
      : undefined,
  ]);
  if (groupedRun.status === 'rejected') throw groupedRun.reason;
  if (restRun.status === 'rejected') throw restRun.reason;
  const grouped = groupedRun.value;
  const rest = restRun.value;
  const byId = new Map<string, Row[]>(aggregates.map(([id], i) => [id, grouped[i]!]));
  for (const result of rest ?? []) byId.set(result.id, result.rows);
  // Risk flags read every row of the queries before them, as in `collectRows`.
  const whole: QueryResult[] = [];
  for (const query of runbook.queries) {
    const rows =
      query.kind === 'risk-flags'
        ? riskFlagsCollector(query).finish(whole)
        : (byId.get(query.id) ?? []);
    whole.push({ id: query.id, title: query.title, rows });
  }
  return {
    runbook: runbook.name,
    window: windowOf(runbook, now),
    results: runbook.queries.map((query, i) => resultOf(query, whole[i]!.rows)),
  };
}
