import type { PermissionStatement } from '../domain.js';

/** A schema-checked statement as a plain object (the parsed one has no prototype). */
export function statement(value: unknown): PermissionStatement {
  const raw = value as {
    actions: string[];
    resources: string[];
    conditions?: Record<string, Record<string, unknown>>;
  };
  const result: PermissionStatement = { actions: [...raw.actions], resources: [...raw.resources] };
  if (raw.conditions) {
    result.conditions = {};
    for (const [operator, block] of Object.entries(raw.conditions)) {
      const values: Record<string, string | string[]> = {};
      for (const [key, v] of Object.entries(block))
        values[key] = Array.isArray(v) ? v.map(String) : String(v);
      result.conditions[operator] = values;
    }
  }
  return result;
}
