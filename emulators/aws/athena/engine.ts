/**
 * The emulator's Athena engine: DuckDB (an embedded SQL engine) over the emulator's CloudTrail
 * events, loaded into a table of the shape AWS documents for CloudTrail logs in Athena
 * (`cloudtrail-table.ts`, the emulator's own reading of AWS's documentation, so a column the
 * client's SQL compiler wrongly assumes fails here as in Athena).
 * Where DuckDB's dialect differs from Athena's (Trino), macros give the Trino names; see the
 * README's Athena section. DuckDB is loaded on the first query, so an emulator that never sees
 * one never loads it (and it stays a development dependency).
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  DOCUMENTED_COLUMNS,
  PARTITION_KEYS,
  duckType,
  jsonStructure,
  tableRow,
} from './cloudtrail-table.js';
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
      const columns = [
        ...Object.entries(DOCUMENTED_COLUMNS).map(([name, type]) => `${name} ${duckType(type)}`),
        ...PARTITION_KEYS.map((key) => `"${key}" VARCHAR`),
      ];
      await conn.run(
        `CREATE TABLE "${EMULATED_DATABASE}"."${EMULATED_TABLE}" (${columns.join(', ')})`,
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
        ...Object.entries(DOCUMENTED_COLUMNS).map(([name, type]) => [name, jsonStructure(type)]),
        ...PARTITION_KEYS.map((key) => [key, 'VARCHAR']),
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
