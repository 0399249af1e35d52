/**
 * A canonical text for policy documents, so the grant step can tell whether an existing jit
 * policy already says what a rerun would write (converge) or must get a new version. It
 * ignores what IAM ignores: string-or-array, list order, action and condition-key case.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const sortedStrings = (value: unknown, lower: boolean): string[] =>
  [...new Set(list(value).map((v) => (lower ? String(v).toLowerCase() : String(v))))].sort();

function canonicalCondition(condition: unknown): Json {
  if (typeof condition !== 'object' || condition === null) return condition as Json;
  return Object.fromEntries(
    Object.entries(condition)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operator, block]) => [
        operator,
        Object.fromEntries(
          Object.entries(block as Record<string, unknown>)
            .map(([key, value]) => [key.toLowerCase(), sortedStrings(value, false)] as const)
            .sort(([a], [b]) => a.localeCompare(b)),
        ),
      ]),
  );
}

function canonicalStatement(statement: unknown): Json {
  if (typeof statement !== 'object' || statement === null) return statement as Json;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(statement).sort(([a], [b]) => a.localeCompare(b))) {
    if (key === 'Action' || key === 'NotAction') out[key] = sortedStrings(value, true);
    else if (key === 'Resource' || key === 'NotResource') out[key] = sortedStrings(value, false);
    else if (key === 'Condition') out[key] = canonicalCondition(value);
    else out[key] = value as Json;
  }
  return out;
}

/** Accepts any parsed document (e.g. IAM's, after URL-decoding and JSON.parse). */
export function canonicalPolicy(document: unknown): string {
  if (typeof document !== 'object' || document === null) return JSON.stringify(document);
  const { Version, Statement } = document as { Version?: unknown; Statement?: unknown };
  return JSON.stringify({ Version, Statement: list(Statement).map(canonicalStatement) });
}

export const policyDocumentsEqual = (a: unknown, b: unknown): boolean =>
  canonicalPolicy(a) === canonicalPolicy(b);
