import { globToRegExp } from '../policy/glob.js';
import { eventTimeMs, type CloudTrailRecord } from './event.js';
import type { Condition, Scalar, Where } from './model.js';

/**
 * A reader for one dotted path (`userIdentity.sessionContext.sessionIssuer.arn`), compiled once per query rather than split per record. Only own
 * properties count, so `constructor` or `toString` never reach Object.prototype; paths without
 * such names skip that check, which is most of the cost.
 */
export function fieldReader(path: string): (record: CloudTrailRecord) => unknown {
  const keys = path.split('.');
  const inherited = keys.some((k) => k in Object.prototype);
  const [a, b, c] = keys;
  // The usual paths, one to three names deep, without a loop or the own-property check.
  if (!inherited && keys.length === 1) return (record) => record[a!];
  if (!inherited && keys.length === 2)
    return (record) => {
      const v = record[a!];
      return v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[b!] : undefined;
    };
  if (!inherited && keys.length === 3)
    return (record) => {
      const v = record[a!];
      if (v === null || typeof v !== 'object') return undefined;
      const w = (v as Record<string, unknown>)[b!];
      return w !== null && typeof w === 'object' ? (w as Record<string, unknown>)[c!] : undefined;
    };
  return (record) => {
    let value: unknown = record;
    for (const key of keys) {
      if (value === null || typeof value !== 'object') return undefined;
      if (inherited && !Object.hasOwn(value, key)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  };
}

/** A field as a row shows it: scalars as they are, a missing field as null, structures as JSON. */
export function rowValue(value: unknown): Scalar {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  return JSON.stringify(value);
}

export type Predicate = (record: CloudTrailRecord) => boolean;

/** A `where` as a predicate; time conditions relative to the window are resolved at `windowEnd`. */
export function compileWhere(where: Where, windowEnd: Date): Predicate {
  const tests = where.map(({ path, condition }) => {
    const test = compileCondition(condition, windowEnd);
    const read = fieldReader(path);
    return (record: CloudTrailRecord) => test(read(record));
  });
  if (tests.length === 1) return tests[0]!;
  return (record) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(record)) return false;
    return true;
  };
}

function compileCondition(condition: Condition, windowEnd: Date): (value: unknown) => boolean {
  switch (condition.kind) {
    case 'in': {
      const values = new Set(condition.values);
      // A missing field equals null, so `errorCode: null` reads "no error".
      return (v) => values.has(v === undefined ? null : (v as Scalar));
    }
    case 'prefix':
      return (v) => typeof v === 'string' && condition.values.some((p) => v.startsWith(p));
    case 'like': {
      const patterns = condition.patterns.map((p) => globToRegExp(p, false));
      return (v) => typeof v === 'string' && patterns.some((p) => p.test(v));
    }
    case 'present':
      return (v) => (v !== undefined && v !== null) === condition.present;
    case 'time': {
      const from =
        condition.withinMs !== undefined
          ? windowEnd.getTime() - condition.withinMs
          : (condition.from?.getTime() ?? -Infinity);
      const to = condition.to?.getTime() ?? Infinity;
      return (v) => {
        const at = typeof v === 'string' ? eventTimeMs(v) : Number.NaN;
        return at >= from && at < to;
      };
    }
    case 'not': {
      const inner = compileCondition(condition.condition, windowEnd);
      return (v) => !inner(v);
    }
  }
}
