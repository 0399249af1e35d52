/**
 * Athena's StartQueryExecution, GetQueryExecution and GetQueryResults (JSON 1.1, target prefix
 * `AmazonAthena.`), running the SQL on the emulator's DuckDB engine (`engine.ts`).
 *
 * A query runs when it is submitted, over the events recorded until then; its state then moves
 * one step per GetQueryExecution: QUEUED → RUNNING → SUCCEEDED (or FAILED), so clients poll as
 * they must against Athena. Syntax errors and bad `ExecutionParameters` are refused at submit
 * with InvalidRequestException; other SQL errors (an unknown table or column, a bad cast) end
 * the query FAILED with the engine's message as its StateChangeReason.
 */
import { randomUUID } from 'node:crypto';
import { callerAccount, type CallContext, type Operation } from '../operation.js';
import { AwsError } from '../protocol/errors.js';
import type { AthenaEngine } from './engine.js';
import { SqlError, type QueryResult, type SqlValue } from './engine.js';

const MAX_QUERY_LENGTH = 262_144;
const MAX_RESULTS = 1000;

type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

interface Execution {
  id: string;
  /** Where it was started: another account or region does not find it, as in Athena. */
  account: string;
  region: string;
  query: string;
  params?: string[];
  workGroup: string;
  outputLocation: string;
  database?: string;
  submitted: Date;
  completed?: Date;
  /** Where it is going; `state` is where the client has seen it so far. */
  outcome: { result: QueryResult } | { error: string };
  state: State;
}

interface StartInput {
  QueryString?: string;
  ClientRequestToken?: string;
  QueryExecutionContext?: { Database?: string; Catalog?: string };
  ResultConfiguration?: { OutputLocation?: string };
  WorkGroup?: string;
  ExecutionParameters?: string[];
}

const invalid = (message: string) => new AwsError('InvalidRequestException', message);

/**
 * One `ExecutionParameters` value: the text of an SQL literal, as Athena takes it. The emulator
 * takes literals only (a quoted string with `''` for `'`, a number, true/false, NULL) and binds
 * them as values, so no parameter ever becomes SQL text.
 */
export function parseLiteral(text: string): SqlValue {
  const t = text.trim();
  const quoted = /^'((?:[^']|'')*)'$/s.exec(t);
  if (quoted) return quoted[1]!.replaceAll("''", "'");
  if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^null$/i.test(t)) return null;
  throw invalid(`Execution parameter ${JSON.stringify(text)} is not a literal`);
}

export function athenaOperations(engine: AthenaEngine): Record<string, Operation<never, unknown>> {
  const executions = new Map<string, Execution>();
  const byToken = new Map<string, string>();
  /** Workgroups with their result location: `primary` has none, as in a new account. */
  const workGroups = new Map<string, string | undefined>([['primary', undefined]]);

  const mine = (ctx: CallContext<{ QueryExecutionId?: string }>): Execution | undefined => {
    const id = ctx.input?.QueryExecutionId;
    const execution = typeof id === 'string' ? executions.get(id) : undefined;
    return execution?.account === callerAccount(ctx) && execution.region === ctx.region
      ? execution
      : undefined;
  };
  const find = (ctx: CallContext<{ QueryExecutionId?: string }>): Execution => {
    const execution = mine(ctx);
    if (!execution)
      throw invalid(`QueryExecution ${String(ctx.input?.QueryExecutionId)} was not found`);
    return execution;
  };
  /**
   * Each call is authorised on its workgroup, the resource the Service Authorization Reference
   * lists for these actions
   * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonathena.html).
   */
  const onWorkGroup =
    (action: string) => (ctx: CallContext<StartInput & { QueryExecutionId?: string }>) => ({
      action,
      resource: `arn:aws:athena:${ctx.region}:${callerAccount(ctx)}:workgroup/${
        ctx.input?.QueryExecutionId !== undefined
          ? (mine(ctx)?.workGroup ?? 'primary')
          : (ctx.input?.WorkGroup ?? 'primary')
      }`,
    });

  const start: Operation<StartInput, unknown> = {
    readOnly: false,
    authorize: onWorkGroup('athena:StartQueryExecution'),
    async run(ctx) {
      const { input, clock } = ctx;
      if (typeof input.QueryString !== 'string' || input.QueryString.length === 0)
        throw invalid('QueryString is required');
      if (input.QueryString.length > MAX_QUERY_LENGTH)
        throw invalid(`QueryString is longer than ${MAX_QUERY_LENGTH} characters`);
      // Idempotency tokens are the caller's account's and region's own.
      const token =
        input.ClientRequestToken &&
        `${callerAccount(ctx)}/${ctx.region}/${input.ClientRequestToken}`;
      if (token && byToken.has(token)) return { QueryExecutionId: byToken.get(token) };
      const workGroup = input.WorkGroup ?? 'primary';
      if (!workGroups.has(workGroup)) throw invalid(`WorkGroup ${workGroup} is not found.`);
      const outputLocation = input.ResultConfiguration?.OutputLocation ?? workGroups.get(workGroup);
      if (!outputLocation)
        throw invalid(
          'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
        );
      if (!/^s3:\/\/[^/]+/.test(outputLocation))
        throw invalid(`OutputLocation ${outputLocation} is not an s3:// URL`);
      const params = input.ExecutionParameters?.map(parseLiteral) ?? [];
      let outcome: Execution['outcome'];
      try {
        outcome = { result: await engine.run(input.QueryString, params) };
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        if (e.atSubmit) throw invalid(e.message);
        outcome = { error: e.message };
      }
      const id = randomUUID();
      executions.set(id, {
        id,
        account: callerAccount(ctx),
        region: ctx.region,
        query: input.QueryString,
        ...(input.ExecutionParameters ? { params: input.ExecutionParameters } : {}),
        workGroup,
        outputLocation: outputLocation.replace(/\/*$/, '/'),
        ...(input.QueryExecutionContext?.Database
          ? { database: input.QueryExecutionContext.Database }
          : {}),
        submitted: clock.now(),
        outcome,
        state: 'QUEUED',
      });
      if (token) byToken.set(token, id);
      return { QueryExecutionId: id };
    },
  };

  const get: Operation<{ QueryExecutionId?: string }, unknown> = {
    readOnly: true,
    authorize: onWorkGroup('athena:GetQueryExecution'),
    run(ctx) {
      const { clock } = ctx;
      const e = find(ctx);
      if (e.state === 'QUEUED') e.state = 'RUNNING';
      else if (e.state === 'RUNNING') {
        e.state = 'result' in e.outcome ? 'SUCCEEDED' : 'FAILED';
        e.completed = clock.now();
      }
      const failed = e.state === 'FAILED' && 'error' in e.outcome ? e.outcome.error : undefined;
      const seconds = (d: Date) => d.getTime() / 1000;
      return {
        QueryExecution: {
          QueryExecutionId: e.id,
          Query: e.query,
          StatementType: 'DML',
          ResultConfiguration: { OutputLocation: `${e.outputLocation}${e.id}.csv` },
          ...(e.database ? { QueryExecutionContext: { Database: e.database } } : {}),
          Status: {
            State: e.state,
            SubmissionDateTime: seconds(e.submitted),
            ...(e.completed ? { CompletionDateTime: seconds(e.completed) } : {}),
            ...(failed
              ? {
                  StateChangeReason: failed,
                  AthenaError: {
                    ErrorCategory: 2,
                    ErrorType: 1006,
                    Retryable: false,
                    ErrorMessage: failed,
                  },
                }
              : {}),
          },
          WorkGroup: e.workGroup,
          EngineVersion: {
            SelectedEngineVersion: 'AUTO',
            EffectiveEngineVersion: 'Athena engine version 3',
          },
          ...(e.params ? { ExecutionParameters: e.params } : {}),
        },
      };
    },
  };

  const results: Operation<
    { QueryExecutionId?: string; NextToken?: string; MaxResults?: number },
    unknown
  > = {
    readOnly: true,
    authorize: onWorkGroup('athena:GetQueryResults'),
    run(ctx) {
      const { input } = ctx;
      const e = find(ctx);
      if (e.state !== 'SUCCEEDED' || !('result' in e.outcome))
        throw invalid(
          e.state === 'FAILED'
            ? `Query did not finish successfully. Final query state: FAILED`
            : `Query has not yet finished. Current state: ${e.state}`,
        );
      const max = input.MaxResults ?? MAX_RESULTS;
      if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS)
        throw invalid(`MaxResults must be between 1 and ${MAX_RESULTS}`);
      // Rows counted with the header, which is the first row of the first page.
      let offset = 0;
      if (input.NextToken !== undefined) {
        const token = /^([0-9a-f-]{36}):(\d+)$/.exec(
          Buffer.from(input.NextToken, 'base64url').toString('utf8'),
        );
        if (!token || token[1] !== e.id) throw invalid('The NextToken is not valid');
        offset = Number(token[2]);
      }
      const { columns, rows } = e.outcome.result;
      const all = [columns.map((c) => c.name), ...rows];
      const page = all.slice(offset, offset + max);
      const next = offset + max < all.length ? offset + max : undefined;
      return {
        UpdateCount: 0,
        ResultSet: {
          Rows: page.map((row) => ({
            Data: row.map((v) => (v === undefined ? {} : { VarCharValue: v })),
          })),
          ResultSetMetadata: {
            ColumnInfo: columns.map((c) => ({
              CatalogName: 'hive',
              SchemaName: '',
              TableName: '',
              Name: c.name,
              Label: c.name,
              Type: c.type,
              Precision: 0,
              Scale: 0,
              Nullable: 'UNKNOWN',
              CaseSensitive: c.type === 'varchar',
            })),
          },
        },
        ...(next !== undefined
          ? { NextToken: Buffer.from(`${e.id}:${next}`).toString('base64url') }
          : {}),
      };
    },
  };

  return {
    StartQueryExecution: start,
    GetQueryExecution: get,
    GetQueryResults: results,
  } as unknown as Record<string, Operation<never, unknown>>;
}
