/**
 * The emulator's Athena engine: DuckDB (an embedded SQL engine) over the emulator's CloudTrail
 * events, loaded into a table of the shape AWS documents for CloudTrail logs in Athena
 * (`src/runbook/sql/cloudtrail-table.ts`, the same description the SQL compiler targets).
 * Where DuckDB's dialect differs from Athena's (Trino), macros give the Trino names; see the
 * README's Athena section. DuckDB is loaded on the first query, so an emulator that never sees
 * one never loads it (and it stays a development dependency).
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  CLOUDTRAIL_COLUMNS,
  partitionDay,
  type Column,
  type ColumnType,
} from '../../../src/runbook/sql/cloudtrail-table.js';
import type { CloudTrailStore } from '../cloudtrail/store.js';

/** The table the emulator serves: `"default"."cloudtrail_logs"`. */
export const EMULATED_DATABASE = 'default';
export const EMULATED_TABLE = 'cloudtrail_logs';

export type SqlValue = string | number | boolean | null;

/** Trino functions the compiler uses, as DuckDB macros with Trino's semantics. */
const MACROS = [
  // Trino: the scalar at the path as text; NULL for an object, an array or JSON null.
  `CREATE MACRO json_extract_scalar(j, p) AS CASE WHEN json_type(j, p) IN ('OBJECT', 'ARRAY', 'NULL') THEN NULL ELSE json_extract_string(j, p) END`,
  // Trino: an ISO 8601 text as a timestamp with time zone (an error there, NULL here, if malformed).
  `CREATE MACRO from_iso8601_timestamp(s) AS TRY_CAST(s AS TIMESTAMPTZ)`,
  // Trino: JSON value → its JSON text.
  `CREATE MACRO json_format(j) AS CAST(j AS VARCHAR)`,
];

export class SqlError extends Error {
  constructor(
    message: string,
    /** A syntax error or bad parameters: refused at StartQueryExecution, as Athena does. */
    readonly atSubmit: boolean,
  ) {
    super(message);
  }
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  /** Every value as Athena's text, undefined for NULL. */
  rows: (string | undefined)[][];
}

export class AthenaEngine {
  private instance?: Promise<{ db: DuckDBInstance; conn: DuckDBConnection }>;
  private loaded = 0;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: CloudTrailStore) {}

  /** Runs one SELECT with its `?` values bound, over every event recorded so far. */
  run(sql: string, params: SqlValue[]): Promise<QueryResult> {
    // One statement at a time on the one connection, each seeing the events loaded before it.
    const result = this.queue.then(() => this.runNow(sql, params));
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    if (!this.instance) return;
    const { db, conn } = await this.instance;
    conn.closeSync();
    db.closeSync();
    this.instance = undefined;
  }

  private async runNow(sql: string, params: SqlValue[]): Promise<QueryResult> {
    if (this.closed) throw new Error('the emulator is closed');
    const conn = await this.connection();
    await this.load(conn);
    let prepared;
    try {
      prepared = await conn.prepare(sql);
    } catch (e) {
      const message = (e as Error).message;
      throw new SqlError(message, /^Parser Error/.test(message));
    }
    if (prepared.parameterCount !== params.length)
      throw new SqlError(
        `the query has ${prepared.parameterCount} parameters and ${params.length} values were given`,
        true,
      );
    // StatementType.SELECT is 1: anything else (DDL, COPY, SET, PRAGMA) is refused.
    if (prepared.statementType !== 1)
      throw new SqlError('the emulator runs SELECT statements only', true);
    params.forEach((value, i) => {
      if (value === null) prepared.bindNull(i + 1);
      else if (typeof value === 'string') prepared.bindVarchar(i + 1, value);
      else if (typeof value === 'boolean') prepared.bindBoolean(i + 1, value);
      else if (Number.isInteger(value)) prepared.bindBigInt(i + 1, BigInt(value));
      else prepared.bindDouble(i + 1, value);
    });
    try {
      const reader = await prepared.runAndReadAll();
      const types = reader.columnTypes().map((t) => athenaType(String(t)));
      return {
        columns: reader.columnNames().map((name, i) => ({ name, type: types[i]! })),
        rows: reader.getRowsJS().map((row) => row.map((v) => athenaText(v))),
      };
    } catch (e) {
      throw new SqlError((e as Error).message, false);
    }
  }

  private connection(): Promise<DuckDBConnection> {
    this.instance ??= (async () => {
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const db = await DuckDBInstance.create(':memory:');
      const conn = await db.connect();
      await conn.run(`CREATE SCHEMA "${EMULATED_DATABASE}"`);
      const columns = CLOUDTRAIL_COLUMNS.map((c) => `${c.name.toLowerCase()} ${duckType(c.type)}`);
      await conn.run(
        `CREATE TABLE "${EMULATED_DATABASE}"."${EMULATED_TABLE}" (${columns.join(', ')}, ` +
          `account VARCHAR, region VARCHAR, "timestamp" VARCHAR)`,
      );
      for (const macro of MACROS) await conn.run(macro);
      // Queries come over HTTP: no reading or writing files, no changing that back.
      await conn.run('SET enable_external_access = false');
      await conn.run('SET lock_configuration = true');
      return { db, conn };
    })();
    return this.instance.then((i) => i.conn);
  }

  /** Appends the events recorded since the last query (the store only grows). */
  private async load(conn: DuckDBConnection): Promise<void> {
    const events = this.store.events.slice(this.loaded);
    if (events.length === 0) return;
    const rows = events.map((e) => tableRow(e.record));
    const structure = JSON.stringify([
      Object.fromEntries([
        ...CLOUDTRAIL_COLUMNS.map((c) => [c.name.toLowerCase(), jsonStructure(c.type)]),
        ['account', 'VARCHAR'],
        ['region', 'VARCHAR'],
        ['timestamp', 'VARCHAR'],
      ]),
    ]);
    const insert = await conn.prepare(
      `INSERT INTO "${EMULATED_DATABASE}"."${EMULATED_TABLE}" BY NAME ` +
        `SELECT unnest(json_transform(?::JSON, ?), max_depth := 2)`,
    );
    insert.bindVarchar(1, JSON.stringify(rows));
    insert.bindVarchar(2, structure);
    await insert.run();
    this.loaded += events.length;
  }
}

function duckType(type: ColumnType): string {
  if (type === 'string' || type === 'json' || type === 'boolean') return 'VARCHAR';
  if ('map' in type) return 'MAP(VARCHAR, VARCHAR)';
  const fields = ('struct' in type ? type.struct : type.array)
    .map((c) => `${c.name.toLowerCase()} ${duckType(c.type)}`)
    .join(', ');
  return 'struct' in type ? `STRUCT(${fields})` : `STRUCT(${fields})[]`;
}

function jsonStructure(type: ColumnType): unknown {
  if (type === 'string' || type === 'json' || type === 'boolean') return 'VARCHAR';
  if ('map' in type) return 'MAP(VARCHAR, VARCHAR)';
  const fields = Object.fromEntries(
    ('struct' in type ? type.struct : type.array).map((c) => [
      c.name.toLowerCase(),
      jsonStructure(c.type),
    ]),
  );
  return 'struct' in type ? fields : [fields];
}

/**
 * A record as Hive's JSON SerDe reads it into the table: keys matched case-insensitively,
 * fields not in the table dropped, a JSON-text column holding its field's JSON (a string field
 * as its text), `readonly` as `'true'`/`'false'`; plus the partition values of its log file.
 */
function tableRow(record: Record<string, unknown>): Record<string, unknown> {
  const row = shape(CLOUDTRAIL_COLUMNS, record) ?? {};
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  const time = Date.parse(String(record.eventTime));
  row.account = String(record.recipientAccountId ?? identity.accountId ?? '') || null;
  row.region = typeof record.awsRegion === 'string' ? record.awsRegion : null;
  row.timestamp = Number.isNaN(time) ? null : partitionDay(time);
  return row;
}

function shape(columns: Column[], value: unknown): Record<string, unknown> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const byLowerName = new Map(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const out: Record<string, unknown> = {};
  for (const c of columns)
    out[c.name.toLowerCase()] = cell(c.type, byLowerName.get(c.name.toLowerCase()));
  return out;
}

function cell(type: ColumnType, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (type === 'string' || type === 'boolean')
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (type === 'json') return typeof value === 'string' ? value : JSON.stringify(value);
  if ('map' in type)
    return typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]))
      : null;
  if ('struct' in type) return shape(type.struct, value);
  return Array.isArray(value) ? value.map((v) => shape(type.array, v)) : null;
}

/** DuckDB's type name as Athena's ColumnInfo.Type names it. */
function athenaType(duck: string): string {
  const t = duck.toUpperCase();
  if (t.startsWith('STRUCT')) return 'row';
  if (t.endsWith('[]')) return 'array';
  if (t.startsWith('MAP')) return 'map';
  if (t.startsWith('DECIMAL')) return 'decimal';
  const names: Record<string, string> = {
    VARCHAR: 'varchar',
    BIGINT: 'bigint',
    HUGEINT: 'bigint',
    UBIGINT: 'bigint',
    INTEGER: 'integer',
    SMALLINT: 'smallint',
    TINYINT: 'tinyint',
    BOOLEAN: 'boolean',
    DOUBLE: 'double',
    FLOAT: 'real',
    DATE: 'date',
    TIMESTAMP: 'timestamp',
    'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone',
    JSON: 'json',
  };
  return names[t] ?? 'varchar';
}

/** A value as Athena writes it in results: Trino's text forms (`{a=1}`, `[x, y]`). */
function athenaText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', ' UTC');
  if (Array.isArray(value)) return `[${value.map((v) => athenaText(v) ?? 'null').join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${athenaText(v) ?? 'null'}`)
      .join(', ')}}`;
  return String(value);
}
