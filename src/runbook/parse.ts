/**
 * Runbook files: safe YAML, the JSON Schema editors use, then the checks a schema cannot make
 * (unique ids, declared parameters, flags naming earlier queries). Parameters are bound later,
 * by `bind`, as whole values: `"{{principal}}"` is replaced by the principal's ARN as one value,
 * so nothing a caller supplies is ever read as an operator or a pattern.
 */
import { error, fail, ok, type Problem, type Result } from '../problem.js';
import { schemaCheck } from '../request/schema-errors.js';
import { runbook as runbookValidator } from '../request/validators/runbook.generated.js';
import { parseYaml } from '../yaml/parse.js';
import { childIndex, childKey } from '../yaml/path.js';
import type {
  Condition,
  Flag,
  ParameterSpec,
  ParameterValues,
  Query,
  Runbook,
  Scalar,
  Where,
} from './model.js';

const checkSchema = schemaCheck(runbookValidator);

/** A runbook as written: validated, parameters still unbound. */
export interface RunbookDefinition {
  name: string;
  parameters: ParameterSpec[];
  /** The validated document; `bind` compiles it once values are known. */
  document: RunbookDocument;
}

type Raw = Scalar | Scalar[] | Record<string, unknown>;

interface RawQuery {
  id: string;
  title: string;
  actor?: 'principal' | 'anyone';
  where?: Record<string, Raw>;
  groupBy?: string[];
  top?: number;
  series?: 'day';
  firstSeen?: { recent: string };
  analysis?: 'requested-actions' | 'jit-grants' | 'risk-flags';
  actions?: string | string[];
  policyPath?: string;
  flags?: { id: string; title: string; query: string; match?: Record<string, Scalar> }[];
}

interface RunbookDocument {
  name: string;
  title: string;
  window: { since: string };
  parameters?: Record<
    string,
    { type?: 'string' | 'list'; required?: boolean; default?: string | string[] }
  >;
  queries: RawQuery[];
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;
const PARAMETER = /^\{\{([a-z][a-z0-9_]*)\}\}$/;

export function parseRunbook(text: string, file?: string): Result<RunbookDefinition> {
  const located = (p: Problem): Problem => (file ? { ...p, file } : p);
  const doc = parseYaml(text);
  if (!doc.ok) return fail(doc.problems.map(located));
  const schemaProblems = checkSchema(doc.value);
  if (schemaProblems.length > 0) return fail(schemaProblems.map(located));
  const document = doc.value.value as RunbookDocument;
  const at = (path: string) => doc.value.position(path);
  const problems: Problem[] = [];

  const parameters: ParameterSpec[] = Object.entries(document.parameters ?? {}).map(
    ([name, p]) => ({
      name,
      type: p.type ?? 'string',
      required: name === 'principal' || p.required === true,
      ...(p.default === undefined ? {} : { default: p.default }),
    }),
  );
  if (!parameters.some((p) => p.name === 'principal'))
    parameters.push({ name: 'principal', type: 'string', required: true });
  const declared = new Set(parameters.map((p) => p.name));

  const ids = new Map<string, number>();
  document.queries.forEach((q, i) => {
    const path = childIndex('queries', i);
    const seen = ids.get(q.id);
    if (seen !== undefined)
      problems.push(
        error(childKey(path, 'id'), `id "${q.id}" is also query ${seen + 1}'s`, at(path)),
      );
    ids.set(q.id, i);
    for (const problem of shapeProblems(q, path)) problems.push({ ...problem, ...at(path) });
    for (const flag of q.flags ?? []) {
      const earlier = ids.get(flag.query);
      if (earlier === undefined || earlier >= i)
        problems.push(
          error(
            childKey(path, 'flags'),
            `flag "${flag.id}" names query "${flag.query}", which is not an earlier query`,
            at(childKey(path, 'flags')),
          ),
        );
    }
    for (const [field, raw] of Object.entries(q.where ?? {})) {
      const between = (raw as { between?: Record<string, string> } | null)?.between ?? {};
      for (const [bound, value] of Object.entries(between)) {
        const where = childKey(
          childKey(childKey(childKey(path, 'where'), field), 'between'),
          bound,
        );
        if (!ISO_TIME.test(value) || Number.isNaN(Date.parse(value)))
          problems.push(
            error(where, `"${value}" is not a UTC time like 2026-03-01T00:00:00Z`, at(where)),
          );
      }
    }
    for (const [where, value] of parameterUses(q, path)) {
      const name = PARAMETER.exec(value)?.[1];
      if (name && !declared.has(name))
        problems.push(error(where, `parameter "${name}" is not declared`, at(where)));
      else if (!name && value.includes('{{'))
        problems.push(
          error(
            where,
            `"${value}": a parameter stands for a whole value, written exactly "{{name}}"`,
            at(where),
          ),
        );
    }
  });
  if (problems.length > 0) return fail(problems.map(located));
  return ok({ name: document.name, parameters, document });
}

/** Fields that belong to one kind of query only. */
function shapeProblems(q: RawQuery, path: string): Problem[] {
  const problems: Problem[] = [];
  const only = (field: keyof RawQuery, kind: string) =>
    q[field] !== undefined &&
    problems.push(error(childKey(path, field), `${field} is only for ${kind}`));
  if (q.analysis !== undefined) {
    only('groupBy', 'group-by queries');
    only('series', 'group-by queries');
    only('firstSeen', 'group-by queries');
  }
  if (q.analysis !== 'requested-actions') only('actions', 'analysis: requested-actions');
  if (q.analysis !== 'jit-grants') only('policyPath', 'analysis: jit-grants');
  if (q.analysis !== 'risk-flags') only('flags', 'analysis: risk-flags');
  if (q.analysis === 'requested-actions' && q.actions === undefined)
    problems.push(error(path, 'analysis requested-actions needs actions'));
  if (q.analysis === 'risk-flags' && !q.flags?.length)
    problems.push(error(path, 'analysis risk-flags needs flags'));
  return problems;
}

/** Every string in a query that may name a parameter, with its path. */
function* parameterUses(q: RawQuery, path: string): Generator<[string, string]> {
  function* strings(value: unknown, at: string): Generator<[string, string]> {
    if (typeof value === 'string') yield [at, value];
    else if (Array.isArray(value))
      for (const [i, v] of value.entries()) yield* strings(v, childIndex(at, i));
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) yield* strings(v, childKey(at, k));
  }
  yield* strings(q.where, childKey(path, 'where'));
  yield* strings(q.actions, childKey(path, 'actions'));
  for (const [i, flag] of (q.flags ?? []).entries())
    yield* strings(flag.match, childKey(childIndex(childKey(path, 'flags'), i), 'match'));
}

/** `30d` → milliseconds; the schema has checked the form. */
export const durationMs = (text: string): number =>
  Number.parseInt(text, 10) * (text.endsWith('d') ? 86_400_000 : 3_600_000);

/**
 * The runbook with its parameters bound, ready for the engine. Problems: a required parameter
 * missing, a parameter supplied that the runbook does not declare.
 */
export function bind(definition: RunbookDefinition, supplied: ParameterValues): Result<Runbook> {
  const problems: Problem[] = [];
  const values: ParameterValues = {};
  for (const spec of definition.parameters) {
    const value = supplied[spec.name] ?? spec.default;
    if (value === undefined) {
      if (spec.required) problems.push(error('parameters', `parameter "${spec.name}" is required`));
      continue;
    }
    values[spec.name] = spec.type === 'list' ? [value].flat() : [value].flat().join(',');
  }
  for (const name of Object.keys(supplied))
    if (!definition.parameters.some((p) => p.name === name))
      problems.push(error('parameters', `runbook ${definition.name} has no parameter "${name}"`));
  if (problems.length > 0) return fail(problems);

  const { document } = definition;
  const windowMs = durationMs(document.window.since);
  return ok({
    name: document.name,
    title: document.title,
    principal: String(values.principal),
    sinceMs: windowMs,
    queries: document.queries.map((q) => compileQuery(q, values)),
  });
}

/** A string, or the parameter it names; a list parameter yields its values. */
function substitute(value: Scalar, values: ParameterValues): Scalar[] {
  const name = typeof value === 'string' ? PARAMETER.exec(value)?.[1] : undefined;
  if (name === undefined) return [value];
  // Declared but optional and not supplied: matches nothing rather than everything.
  return [values[name] ?? []].flat();
}

const bindAll = (value: Scalar | Scalar[], values: ParameterValues): Scalar[] =>
  [value].flat().flatMap((v) => substitute(v, values));

const texts = (value: Scalar | Scalar[], values: ParameterValues): string[] =>
  bindAll(value, values).map(String);

function compileQuery(q: RawQuery, values: ParameterValues): Query {
  const base = {
    id: q.id,
    title: q.title,
    actor: q.actor ?? 'principal',
    where: compileWhere(q.where ?? {}, values),
    ...(q.top === undefined ? {} : { top: q.top }),
  };
  switch (q.analysis) {
    case 'requested-actions':
      return { ...base, kind: 'requested-actions', actions: texts(q.actions ?? [], values) };
    case 'jit-grants':
      return { ...base, kind: 'jit-grants', policyPath: q.policyPath ?? '/jit/' };
    case 'risk-flags':
      return {
        ...base,
        kind: 'risk-flags',
        flags: (q.flags ?? []).map((f): Flag => ({
          id: f.id,
          title: f.title,
          query: f.query,
          match: Object.fromEntries(
            Object.entries(f.match ?? {}).map(([k, v]) => [k, bindAll(v, values)[0] ?? null]),
          ),
        })),
      };
    case undefined:
      return {
        ...base,
        kind: 'group',
        groupBy: q.groupBy ?? [],
        series: q.series === 'day',
        ...(q.firstSeen ? { firstSeen: { recentMs: durationMs(q.firstSeen.recent) } } : {}),
      };
  }
}

function compileWhere(where: Record<string, Raw>, values: ParameterValues): Where {
  return Object.entries(where).map(([path, raw]) => ({ path, condition: condition(raw, values) }));
}

function condition(raw: Raw, values: ParameterValues): Condition {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { kind: 'in', values: bindAll(raw, values) };
  const op = raw as {
    prefix?: string | string[];
    like?: string | string[];
    present?: boolean;
    within?: string;
    between?: { from?: string; to?: string };
    not?: Scalar | Scalar[];
  };
  if (op.prefix !== undefined) return { kind: 'prefix', values: texts(op.prefix, values) };
  if (op.like !== undefined) return { kind: 'like', patterns: texts(op.like, values) };
  if (op.present !== undefined) return { kind: 'present', present: op.present };
  if (op.within !== undefined) return { kind: 'time', withinMs: durationMs(op.within) };
  if (op.between !== undefined) {
    const { from, to } = op.between;
    return {
      kind: 'time',
      ...(from ? { from: new Date(from) } : {}),
      ...(to ? { to: new Date(to) } : {}),
    };
  }
  return { kind: 'not', condition: { kind: 'in', values: bindAll(op.not ?? null, values) } };
}
