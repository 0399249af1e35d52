/**
 * JSON Schema validation whose problems point at YAML lines. The schemas are the ones editors
 * use (yaml-language-server), so ajv's errors are rewritten into messages that name the field,
 * suggest the nearest known field for a typo, and explain numbers YAML read from unquoted text.
 */
import type { ErrorObject } from 'ajv';
import { error, type Problem, type SourcePosition } from '../problem.js';
import { capped } from '../yaml/cap.js';
import { childIndex, childKey, fromPointer, parentPath } from '../yaml/path.js';
import type { YamlDoc } from '../yaml/parse.js';
import { show } from '../yaml/show.js';
import { nearest } from '../text/nearest.js';

/** Field names people reach for that jit-access refuses on purpose, and why. */
const REFUSED_FIELDS: Record<string, string> = {
  notaction: 'only allow statements can be granted: list the actions you need under actions',
  notactions: 'only allow statements can be granted: list the actions you need under actions',
  notresource: 'only allow statements can be granted: list the resources you need under resources',
  notresources: 'only allow statements can be granted: list the resources you need under resources',
  deny: 'every statement is an allow statement; nothing can be denied through a request',
  effect: 'every statement is an allow statement; Effect (and Deny) cannot be set',
  principal: 'the principal is your own user or role from jit.config.yaml; it cannot be set',
  notprincipal: 'the principal is your own user or role from jit.config.yaml; it cannot be set',
  sid: 'statement ids are generated; remove Sid',
};

export type SchemaCheck = (doc: YamlDoc) => Problem[];

/** A validator from `validators/*.generated.ts` (Ajv's standalone code). */
export interface CompiledSchema {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/**
 * The schema's check, from its validator compiled ahead of time by
 * `scripts/gen-schema-validators.mjs` (compiling at start-up cost every command ~0.1 s).
 */
export function schemaCheck(validate: CompiledSchema): SchemaCheck {
  return (doc) => {
    if (validate(doc.value)) return [];
    return capped(
      dedupe(
        relevant(validate.errors ?? []).flatMap((e) =>
          toProblem(e, doc).map((p) => ({ ...p, code: codeOf(e) })),
        ),
      ),
    );
  };
}

/** The stable code of a schema error: what kind of mistake, whatever the field. */
function codeOf(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') {
    const field = String((e.params as { additionalProperty: string }).additionalProperty);
    return Object.hasOwn(REFUSED_FIELDS, field.toLowerCase())
      ? 'FIELD_NOT_ALLOWED'
      : 'FIELD_UNKNOWN';
  }
  return SCHEMA_CODES[e.keyword] ?? 'FIELD_INVALID';
}

const SCHEMA_CODES: Record<string, string> = {
  required: 'FIELD_MISSING',
  type: 'FIELD_TYPE',
  anyOf: 'FIELD_TYPE',
  pattern: 'FIELD_FORMAT',
  minLength: 'FIELD_LENGTH',
  maxLength: 'FIELD_LENGTH',
  minItems: 'FIELD_SIZE',
  maxItems: 'FIELD_SIZE',
  minProperties: 'FIELD_SIZE',
  maxProperties: 'FIELD_SIZE',
  minimum: 'FIELD_RANGE',
  maximum: 'FIELD_RANGE',
  const: 'FIELD_VALUE',
  enum: 'FIELD_VALUE',
  uniqueItems: 'FIELD_DUPLICATE',
};

function toProblem(e: ErrorObject, doc: YamlDoc): Problem[] {
  const objectPath = fromPointer(e.instancePath, doc.value);
  // Errors about a key's spelling (propertyNames) belong to the key, not to the mapping.
  const path = e.propertyName === undefined ? objectPath : childKey(objectPath, e.propertyName);
  const at = (p: string): SourcePosition | undefined =>
    (e.propertyName !== undefined && p === path ? doc.keyPosition(p) : undefined) ??
    locateIn(doc, p);
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String((e.params as { additionalProperty: string }).additionalProperty);
      const child = childKey(path, field);
      return [error(child, unknownField(field, parent), doc.keyPosition(child) ?? at(path))];
    }
    case 'required': {
      const field = String((e.params as { missingProperty: string }).missingProperty);
      const where = path === '' ? 'the file' : `"${path}"`;
      return [error(path, `${where} is missing the required field "${field}"`, at(path))];
    }
    case 'type':
      return [error(path, typeMessage(e, doc, path, parent), at(path))];
    case 'pattern': {
      const hint =
        typeof parent?.patternErrorMessage === 'string'
          ? parent.patternErrorMessage
          : 'has an invalid format';
      const value = e.propertyName === undefined ? e.data : e.propertyName;
      return [error(path, `${show(value)} ${hint}`, at(path))];
    }
    case 'propertyNames':
      // The failing name's own error follows with a propertyName; this one adds nothing.
      return [];
    case 'minLength':
    case 'maxLength': {
      const { limit } = e.params as { limit: number };
      const length = typeof e.data === 'string' ? [...e.data].length : 0;
      const bound = e.keyword === 'minLength' ? `at least ${limit}` : `at most ${limit}`;
      return [error(path, `must be ${bound} characters long (it is ${length})`, at(path))];
    }
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties': {
      const { limit } = e.params as { limit: number };
      const what = e.keyword.endsWith('Items') ? 'entries' : 'fields';
      const bound = e.keyword.startsWith('min') ? `at least ${limit}` : `at most ${limit}`;
      return [
        error(
          path,
          limit === 1 && bound.startsWith('at least')
            ? 'must not be empty'
            : `must have ${bound} ${what}`,
          at(path),
        ),
      ];
    }
    case 'minimum':
    case 'maximum': {
      const { limit } = e.params as { limit: number };
      return [
        error(
          path,
          `must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${limit} (it is ${show(e.data)})`,
          at(path),
        ),
      ];
    }
    case 'const':
      return [
        error(
          path,
          `must be ${show((e.params as { allowedValue: unknown }).allowedValue)}`,
          at(path),
        ),
      ];
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues
        .map((v) => show(v))
        .join(', ');
      return [error(path, `${show(e.data)} must be one of ${allowed}`, at(path))];
    }
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      const [first, repeat] = [Math.min(i, j), Math.max(i, j)];
      const duplicate = childIndex(path, repeat);
      const item = show((e.data as unknown[])[repeat]);
      return [
        error(
          duplicate,
          `${item} repeats ${childIndex(path, first)}: list each entry once`,
          at(duplicate),
        ),
      ];
    }
    case 'anyOf':
      return [
        error(
          path,
          `must be a value (text, a number, true or false) or a list of values, not ${article(describe(e.data))}`,
          at(path),
        ),
      ];
    default:
      return [error(path, e.message ?? 'is invalid', at(path))];
  }
}

/**
 * Drops errors that only repeat another: each failed anyOf branch (the anyOf error says it
 * once), and a missing field whose misspelling is already reported as an unknown field.
 */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  const misspelt = new Set(
    errors
      .filter((e) => e.keyword === 'additionalProperties')
      .map((e) => {
        const field = String((e.params as { additionalProperty: string }).additionalProperty);
        const known = Object.keys(
          (e.parentSchema as { properties?: object } | undefined)?.properties ?? {},
        );
        return `${e.instancePath}\0${nearest(field, known) ?? ''}`;
      }),
  );
  return errors.filter(
    (e) =>
      !anyOfs.some((prefix) => e.schemaPath.startsWith(prefix)) &&
      !(
        e.keyword === 'required' &&
        misspelt.has(
          `${e.instancePath}\0${(e.params as { missingProperty: string }).missingProperty}`,
        )
      ),
  );
}

/** The nearest enclosing node the YAML has a position for. */
function locateIn(doc: YamlDoc, path: string): SourcePosition | undefined {
  for (let p = path; ; p = parentPath(p)) {
    const found = doc.position(p);
    if (found || p === '') return found;
  }
}

function unknownField(field: string, parent: Record<string, unknown> | undefined): string {
  const refused = Object.hasOwn(REFUSED_FIELDS, field.toLowerCase())
    ? REFUSED_FIELDS[field.toLowerCase()]
    : undefined;
  if (refused) return `${show(field)} is not allowed: ${refused}`;
  const known = Object.keys((parent?.properties as object | undefined) ?? {});
  const suggestion = nearest(field, known);
  const list = known.length > 0 ? ` (known fields: ${known.join(', ')})` : '';
  return suggestion
    ? `unknown field ${show(field)}: did you mean "${suggestion}"?`
    : `unknown field ${show(field)}${list}`;
}

function typeMessage(
  e: ErrorObject,
  doc: YamlDoc,
  path: string,
  parent: Record<string, unknown> | undefined,
): string {
  const expected = String((e.params as { type: string | string[] }).type);
  const actual = describe(e.data);
  const raw = doc.raw(path)?.slice(0, 40);
  if (expected === 'string' && (typeof e.data === 'number' || typeof e.data === 'boolean')) {
    const hint =
      typeof parent?.patternErrorMessage === 'string' ? `: ${parent.patternErrorMessage}` : '';
    const written = raw ?? String(e.data);
    const lost =
      typeof e.data === 'number' && raw !== undefined && raw !== String(e.data)
        ? ` (${raw} becomes ${String(e.data)})`
        : '';
    return `must be text, but YAML reads ${written} as a ${actual}${lost}; quote it${hint}`;
  }
  return `must be ${article(expected)}, not ${article(actual)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

const NAMES: Record<string, string> = {
  object: 'a mapping (key: value)',
  array: 'a list',
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'empty',
};
const article = (types: string): string =>
  types
    .split(',')
    .map((t) => NAMES[t] ?? t)
    .join(' or ');

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
