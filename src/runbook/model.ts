/**
 * A runbook, parsed and with its parameters bound: what the engine runs. The YAML form is
 * described by `schemas/runbook.schema.json`; `parse.ts` turns one into the other.
 */

/** A value a `where` condition compares with: parameters are bound before the engine sees it. */
export type Scalar = string | number | boolean | null;

/**
 * A test on the value at one dotted path of a record. Values are compared as values: a pattern
 * is only a pattern where the runbook says `like`, never because a parameter contains `*`.
 */
export type Condition =
  | { kind: 'in'; values: Scalar[] }
  | { kind: 'prefix'; values: string[] }
  | { kind: 'like'; patterns: string[] }
  | { kind: 'present'; present: boolean }
  /**
   * Bounds on a time (ISO 8601) field: `from` inclusive, `to` exclusive, or within the last
   * `withinMs` of the window.
   */
  | { kind: 'time'; from?: Date; to?: Date; withinMs?: number }
  | { kind: 'not'; condition: Condition };

/** Every condition must hold (an empty `where` matches every record). */
export type Where = { path: string; condition: Condition }[];

/** Whose records a query counts. */
export type Actor =
  /** Calls made by the principal (the user, or any session of the role). */
  | 'principal'
  /** Also IAM calls by others on the principal, e.g. a broker attaching a `/jit/` policy. */
  | 'anyone';

interface QueryBase {
  id: string;
  title: string;
  actor: Actor;
  where: Where;
  /** Rows shown after sorting; `QueryResult.total` still counts them all. */
  top?: number;
}

/** Counts records per distinct combination of the `groupBy` values. */
export interface GroupQuery extends QueryBase {
  kind: 'group';
  groupBy: string[];
  /** Adds a per-UTC-day count over the whole window to every row. */
  series: boolean;
  /**
   * Marks values first seen recently: a value is new when its earliest record in the window is
   * within the last `recentMs` of it, i.e. it never occurred in the earlier part of the window.
   */
  firstSeen?: { recentMs: number };
}

/** For each requested action pattern: how often the principal called it, and was denied it. */
export interface RequestedActionsQuery extends QueryBase {
  kind: 'requested-actions';
  actions: string[];
}

/** Earlier `/jit/` grants to the principal, and what the principal called while each was attached. */
export interface JitGrantsQuery extends QueryBase {
  kind: 'jit-grants';
  /** IAM path of grant policies, e.g. `/jit/`. */
  policyPath: string;
}

/** A risk flag raised when rows of an earlier query match. */
export interface Flag {
  id: string;
  title: string;
  query: string;
  /** Field values a row must have; empty means any row. */
  match: Record<string, Scalar>;
}

/** Derived from the results of earlier queries, not from records. */
export interface RiskFlagsQuery extends QueryBase {
  kind: 'risk-flags';
  flags: Flag[];
}

export type Query = GroupQuery | RequestedActionsQuery | JitGrantsQuery | RiskFlagsQuery;

export interface Runbook {
  name: string;
  title: string;
  /** The bound `{{principal}}`: whose records the sources read. */
  principal: string;
  /** Length of the window that ends now (or at the time asked for). */
  sinceMs: number;
  queries: Query[];
}

/** Parameters declared by a runbook: the CLI or the action supplies their values. */
export interface ParameterSpec {
  name: string;
  type: 'string' | 'list';
  required: boolean;
  default?: string | string[];
}

export type ParameterValues = Record<string, string | string[]>;

/** A row of a result: the group-by fields (or the analysis' fields) and a count. */
export type Row = Record<string, unknown> & { count: number };

export interface QueryResult {
  id: string;
  title: string;
  /**
   * All the rows before `top` cut them: how many, and the sum of their counts (for a group query,
   * the records it matched). Every run sets it; a result without it (made by hand) shows all its
   * rows.
   */
  total?: { rows: number; count: number };
  rows: Row[];
}

/** The JSON form of a run, as `jit runbook --format json` prints it. */
export interface RunbookResult {
  runbook: string;
  window: { from: string; to: string };
  results: QueryResult[];
}
