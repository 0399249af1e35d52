/**
 * Runbook queries → SQL over the CloudTrail table (`cloudtrail-table.ts`), in the dialect of
 * Athena (Trino). Every value that comes from a runbook, a parameter or the window is a `?`
 * placeholder with its value in `params`, in order: Athena's `ExecutionParameters`. No value is
 * ever spliced into the SQL text; what is spliced is only the table name (checked against
 * `[A-Za-z0-9_]`), column names from `CLOUDTRAIL_COLUMNS`, and JSON paths whose segments are
 * checked against `[A-Za-z_][A-Za-z0-9_]*`.
 *
 * What compiles: a `group` query whose `where` and `groupBy` paths are all columns of the table
 * (or dotted paths into its JSON-text columns) becomes one aggregate: `count(*)` per group, per
 * UTC day for `series`, and the earliest `eventtime` for `firstSeen`; Athena returns one row per
 * group (per day), never the records. Sorting and `top` are done on those rows by the same code
 * as the other sources (`sortRows`), so ties break identically.
 *
 * What runs client-side: `requested-actions` and `jit-grants` (they pair records in time and
 * map event names to IAM actions), and any `group` query naming a path the table does not have:
 * they get the principal's records from `compileEvents` and run through the ordinary engine.
 * `risk-flags` reads earlier results only.
 *
 * Paths into JSON text (`requestParameters.x`) compare with `json_extract_scalar`, and the
 * value's JSON text (`json_format(json_extract(…))`) tells its type, so `5` never equals `"5"`,
 * `prefix`/`like`/`time` hold for strings only, and an object is present though it has no
 * scalar; groups are keyed by that JSON text and parsed back client-side. Known limits: a number
 * compares by its text (`5.0` is not `5`), and real Athena (Trino) may canonicalise an object
 * value's JSON (key order) where the records' JSON.stringify keeps the logged order.
 */
import type { EventQuery } from '../event.js';
import { POLICY_ATTACHMENT_EVENTS } from '../event.js';
import {
  SSO_ROLE_PATH,
  SSO_ROLE_PREFIX,
  attachmentTarget,
  foldCase,
  rolePrefix,
  type Principal,
} from '../principal.js';
import type { Condition, GroupQuery, Scalar, Where } from '../model.js';
import { CLOUDTRAIL_COLUMNS, partitionDay, type Column } from './cloudtrail-table.js';

/** A statement and its parameter values, one per `?`, in order. */
export interface SqlQuery {
  sql: string;
  params: string[];
}

/** How a value read from a result row becomes a record's value. */
export type FieldKind = 'string' | 'boolean' | 'json-scalar';

/** A dotted runbook path as an SQL expression. */
export interface SqlField {
  path: string;
  /** The value as text (`json_extract_scalar` for a path into a JSON-text column). */
  sql: string;
  kind: FieldKind;
  /**
   * For a path into a JSON-text column: the value's JSON text (NULL when the path is absent), so
   * its type is known: `"a"` a string, `5` a number, `null`, `{…}` an object.
   */
  json?: string;
}

const IDENTIFIER = /^[A-Za-z0-9_]+$/;
const JSON_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DAY_MS = 86_400_000;

/** `db.table` as a quoted SQL name; anything but letters, digits and `_` is refused. */
export function tableName(spec: string): string {
  const parts = spec.split('.');
  if (parts.length !== 2 || !parts.every((p) => IDENTIFIER.test(p)))
    throw new Error(`an Athena table is DATABASE.TABLE in letters, digits and _, not "${spec}"`);
  return parts.map((p) => `"${p.toLowerCase()}"`).join('.');
}

/**
 * The column (or JSON-text path) a dotted CloudTrail path names, or undefined when the table
 * has no such column: names compare as CloudTrail spells them, as the other sources do.
 */
export function sqlField(path: string): SqlField | undefined {
  const keys = path.split('.');
  let columns: Column[] = CLOUDTRAIL_COLUMNS;
  const sql: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const column = columns.find((c) => c.name === keys[i]);
    if (!column) return undefined;
    sql.push(column.name.toLowerCase());
    const type = column.type;
    const rest = keys.slice(i + 1);
    if (type === 'string' || type === 'boolean')
      return rest.length === 0
        ? { path, sql: sql.join('.'), kind: type === 'boolean' ? 'boolean' : 'string' }
        : undefined;
    if (type === 'json') {
      // The whole JSON text is an object, not a value; a path into it is a scalar.
      if (rest.length === 0 || !rest.every((k) => JSON_KEY.test(k))) return undefined;
      const column = sql.join('.');
      const jsonPath = `'$.${rest.join('.')}'`;
      return {
        path,
        sql: `json_extract_scalar(${column}, ${jsonPath})`,
        kind: 'json-scalar',
        json: `json_format(json_extract(${column}, ${jsonPath}))`,
      };
    }
    if (!('struct' in type)) return undefined;
    columns = type.struct;
  }
  return undefined;
}

/** Collects `?` values in order. */
class Params {
  readonly values: string[] = [];
  add(value: string): string {
    this.values.push(value);
    return '?';
  }
}

/** A `where` as a two-valued SQL predicate (never NULL), or undefined if a path is no column. */
function compileWhere(where: Where, windowEnd: Date, params: Params): string[] | undefined {
  const out: string[] = [];
  for (const { path, condition } of where) {
    const field = sqlField(path);
    if (!field) return undefined;
    out.push(`COALESCE(${compileCondition(field, condition, windowEnd, params)}, FALSE)`);
  }
  return out;
}

/** The field is missing or null (for a JSON path: absent or JSON `null`, not an object). */
const isNull = (f: SqlField): string =>
  f.json ? `COALESCE(${f.json}, 'null') = 'null'` : `${f.sql} IS NULL`;

/** The field holds a string: a STRING column always; a JSON path when its JSON is `"…"`. */
const isString = (f: SqlField): string | undefined =>
  f.json ? `substr(${f.json}, 1, 1) = '"'` : undefined;

const and = (a: string, b: string | undefined): string => (b ? `(${a} AND ${b})` : a);

/**
 * One condition, with the other sources' semantics: values compare as values (a string never
 * equals a boolean or a number, in a JSON path too), a missing field is null, `prefix`, `like`
 * and `time` hold for strings only, `like` is a case-sensitive glob.
 */
function compileCondition(
  field: SqlField,
  condition: Condition,
  windowEnd: Date,
  params: Params,
): string {
  const x = field.sql;
  const text = field.kind !== 'boolean';
  switch (condition.kind) {
    case 'in': {
      const parts: string[] = [];
      const strings: string[] = [];
      const others: string[] = [];
      for (const value of condition.values) {
        const literal = valueAsColumnText(field.kind, value);
        if (value === null) parts.push(isNull(field));
        else if (literal !== undefined)
          (typeof value === 'string' ? strings : others).push(params.add(literal));
      }
      if (strings.length) parts.push(and(`${x} IN (${strings.join(', ')})`, isString(field)));
      if (others.length) {
        const notString = isString(field);
        parts.push(and(`${x} IN (${others.join(', ')})`, notString && `NOT ${notString}`));
      }
      return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
    }
    case 'prefix':
      if (!text || condition.values.length === 0) return 'FALSE';
      return and(
        `(${condition.values.map((p) => `starts_with(${x}, ${params.add(p)})`).join(' OR ')})`,
        isString(field),
      );
    case 'like':
      if (!text || condition.patterns.length === 0) return 'FALSE';
      return and(
        `(${condition.patterns
          .map((p) => `${x} LIKE ${params.add(globToLike(p))} ESCAPE '\\'`)
          .join(' OR ')})`,
        isString(field),
      );
    case 'present':
      return condition.present ? `NOT (${isNull(field)})` : isNull(field);
    case 'time': {
      if (!text) return 'FALSE';
      const from =
        condition.withinMs !== undefined
          ? new Date(windowEnd.getTime() - condition.withinMs)
          : condition.from;
      const bounds: string[] = [];
      const at = `from_iso8601_timestamp(${x})`;
      if (from) bounds.push(`${at} >= from_iso8601_timestamp(${params.add(from.toISOString())})`);
      if (condition.to)
        bounds.push(`${at} < from_iso8601_timestamp(${params.add(condition.to.toISOString())})`);
      return and(
        bounds.length ? `(${bounds.join(' AND ')})` : `${at} IS NOT NULL`,
        isString(field),
      );
    }
    case 'not':
      return `NOT COALESCE(${compileCondition(field, condition.condition, windowEnd, params)}, FALSE)`;
  }
}

/**
 * The column text a value equals, or undefined if it can never equal the field: a STRING
 * column holds strings; `readonly` holds `'true'`/`'false'` for JSON booleans; a JSON path's
 * scalar is text whatever its JSON type, so its JSON text's first character tells a string
 * from a number or a boolean (see `isString`).
 */
function valueAsColumnText(kind: FieldKind, value: Scalar): string | undefined {
  if (value === null) return undefined;
  if (kind === 'string') return typeof value === 'string' ? value : undefined;
  if (kind === 'boolean') return typeof value === 'boolean' ? String(value) : undefined;
  return String(value);
}

/** An IAM-style glob (`*` any run, `?` one character) as a LIKE pattern escaped with `\`. */
export function globToLike(glob: string): string {
  let out = '';
  for (const c of glob)
    out += c === '*' ? '%' : c === '?' ? '_' : c === '%' || c === '_' || c === '\\' ? `\\${c}` : c;
  return out;
}

/** What every query reads: the window, the partitions it spans, the principal's records. */
function baseFilter(query: EventQuery, params: Params): string[] {
  const out: string[] = [];
  // A log file sits in the folder of its delivery day, minutes after its calls: a day more.
  out.push(
    `"timestamp" BETWEEN ${params.add(partitionDay(query.from.getTime()))} AND ${params.add(
      partitionDay(query.to.getTime() + DAY_MS),
    )}`,
  );
  out.push(
    `from_iso8601_timestamp(eventtime) BETWEEN from_iso8601_timestamp(${params.add(
      query.from.toISOString(),
    )}) AND from_iso8601_timestamp(${params.add(query.to.toISOString())})`,
  );
  if (query.regions?.length) {
    const regions = [...new Set(['us-east-1', ...query.regions])];
    const list = () => regions.map((r) => params.add(r)).join(', ');
    out.push(`region IN (${list()})`, `awsregion IN (${list()})`);
  }
  if (query.principal) {
    const own = ownCalls(query.principal, params);
    const target = attachmentTarget(query.principal);
    if (query.includeActsOn && target) {
      const events = POLICY_ATTACHMENT_EVENTS.filter((e) =>
        e.includes(target.field === 'userName' ? 'User' : 'Role'),
      );
      const acts =
        `eventsource = ${params.add('iam.amazonaws.com')}` +
        ` AND eventname IN (${events.map((e) => params.add(e)).join(', ')})` +
        ` AND json_extract_scalar(requestparameters, '$.${target.field}') = ${params.add(target.name)}`;
      out.push(`COALESCE(${own} OR (${acts}), FALSE)`);
    } else out.push(`COALESCE(${own}, FALSE)`);
  }
  return out;
}

const ISSUER = 'useridentity.sessioncontext.sessionissuer.arn';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Text matched literally by LIKE … ESCAPE '\\'. */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The principal's own calls: `madeByPrincipal` (principal.ts) in SQL, clause for clause. */
function ownCalls(p: Principal, params: Params): string {
  switch (p.kind) {
    case 'user':
    case 'arn':
      return `(useridentity.arn = ${params.add(p.arn)} OR ${ISSUER} = ${params.add(p.arn)})`;
    case 'role': {
      const prefix = rolePrefix(p);
      return (
        `(useridentity.arn = ${params.add(p.arn)} OR ${ISSUER} = ${params.add(prefix + p.name)}` +
        ` OR ${ISSUER} LIKE ${params.add(`${likeLiteral(prefix)}%/${likeLiteral(p.name)}`)} ESCAPE '\\')`
      );
    }
    case 'sso-user':
      // `split_part` is 1-based: 2 is the role name, 3 the session name of an assumed-role ARN.
      return (
        `(useridentity.type = ${params.add('AssumedRole')}` +
        ` AND starts_with(split_part(useridentity.arn, '/', 2), ${params.add(SSO_ROLE_PREFIX)})` +
        ` AND translate(split_part(useridentity.arn, '/', 3), ${params.add(UPPER)}, ${params.add(UPPER.toLowerCase())}) = ${params.add(foldCase(p.userName))}` +
        ` AND ${ISSUER} LIKE ${params.add(`arn:%:iam::%:role${likeLiteral(SSO_ROLE_PATH)}%`)} ESCAPE '\\')`
      );
  }
}

/** Every leaf column, by its path: what a record is rebuilt from. */
export function leafFields(): SqlField[] {
  const out: SqlField[] = [];
  const walk = (columns: Column[], path: string[], sql: string[]) => {
    for (const c of columns) {
      const p = [...path, c.name];
      const q = [...sql, c.name.toLowerCase()];
      if (c.type === 'string') out.push({ path: p.join('.'), sql: q.join('.'), kind: 'string' });
      else if (c.type === 'boolean')
        out.push({ path: p.join('.'), sql: q.join('.'), kind: 'boolean' });
      // A JSON-text column comes back as its text; the source parses it.
      else if (c.type === 'json') out.push({ path: p.join('.'), sql: q.join('.'), kind: 'string' });
      else if ('struct' in c.type) walk(c.type.struct, p, q);
      // Arrays and maps have no portable text form in results: left out of rebuilt records.
    }
  };
  walk(CLOUDTRAIL_COLUMNS, [], []);
  return out;
}

/** The principal's records in the window, as leaf columns `c0…cN` (see `leafFields`). */
export function compileEvents(table: string, query: EventQuery): SqlQuery {
  const params = new Params();
  const fields = leafFields();
  const select = fields.map((f, i) => `${f.sql} AS c${i}`).join(', ');
  const where = baseFilter(query, params);
  return {
    sql: `SELECT ${select} FROM ${tableName(table)} WHERE ${where.join(' AND ')}`,
    params: params.values,
  };
}

/**
 * A group query as SQL: result columns `g0…gN` (group values), `event_day` (series),
 * `first_seen` (firstSeen) and `n`.
 */
export interface CompiledGroup extends SqlQuery {
  fields: SqlField[];
}

/**
 * The `day` a record's series counts it under, as the other sources cut it: the first ten
 * characters of a CloudTrail-style time (`…T…Z`); any other time is returned whole and its day
 * is taken client-side from the parsed instant.
 */
const DAY_SQL =
  "CASE WHEN length(eventtime) >= 20 AND substr(eventtime, 11, 1) = 'T' AND " +
  "substr(eventtime, length(eventtime), 1) = 'Z' THEN substr(eventtime, 1, 10) ELSE eventtime END";

/** A group query as one aggregate, or undefined if it must run client-side. */
export function compileGroup(
  table: string,
  query: GroupQuery,
  events: EventQuery,
  windowEnd: Date,
): CompiledGroup | undefined {
  const fields = query.groupBy.map(sqlField);
  if (fields.some((f) => !f)) return undefined;
  const params = new Params();
  const where = [...baseFilter(events, params)];
  const conditions = compileWhere(query.where, windowEnd, params);
  if (!conditions) return undefined;
  where.push(...conditions);
  const inner = [
    // A JSON path is grouped by its JSON text: `5` and `"5"` stay apart, as in records.
    ...fields.map((f, i) => `${f!.json ?? f!.sql} AS g${i}`),
    ...(query.series ? [`${DAY_SQL} AS event_day`] : []),
    'eventtime',
  ];
  const keys = [...fields.map((_, i) => `g${i}`), ...(query.series ? ['event_day'] : [])];
  const outer = [
    ...keys,
    ...(query.firstSeen
      ? ['min_by(eventtime, from_iso8601_timestamp(eventtime)) AS first_seen']
      : []),
    'count(*) AS n',
  ];
  const sql =
    `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${tableName(table)}` +
    ` WHERE ${where.join(' AND ')})${keys.length ? ` GROUP BY ${keys.join(', ')}` : ''}`;
  return { sql, params: params.values, fields: fields as SqlField[] };
}

/**
 * A value as Athena's `ExecutionParameters` take it: the text of an SQL literal. Strings are
 * quoted with every `'` doubled, so whatever a value contains (`'`, `--`, `;`) it stays one
 * string literal.
 */
export function athenaLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
