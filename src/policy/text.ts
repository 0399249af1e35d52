/**
 * Every string of a statement that reaches a policy, checked by the look-alike rule
 * (src/text/lookalike.ts): actions, condition operators and condition keys are ASCII
 * identifiers; resources and condition values may be any text a reader sees as written.
 * Works on the statement as written (before or after the schema), so a request, a config
 * profile and the policy builder all apply the same rule.
 */
import { textProblem, type TextKind } from '../text/lookalike.js';
import { childIndex, childKey } from '../yaml/path.js';

export interface TextFinding {
  path: string;
  message: string;
  /** The finding is about a mapping key (a condition operator or key), not a value. */
  key: boolean;
}

type Report = (path: string, text: unknown, kind: TextKind, key?: boolean) => void;

/** A checker that collects findings: `check(path, value, kind)` for each string to check. */
export function textFindings(): { findings: TextFinding[]; check: Report } {
  const findings: TextFinding[] = [];
  const check: Report = (path, text, kind, key = false) => {
    if (typeof text !== 'string') return;
    const problem = textProblem(text, kind);
    if (problem) findings.push({ path, message: `${key ? 'the key ' : ''}${problem}`, key });
  };
  return { findings, check };
}

const each = (value: unknown, path: string, visit: (item: unknown, at: string) => void): void => {
  if (Array.isArray(value)) value.forEach((item, i) => visit(item, childIndex(path, i)));
};

const entries = (value: unknown): [string, unknown][] =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];

export function statementFindings(statement: unknown, path: string, check: Report): void {
  const raw = (statement ?? {}) as Record<string, unknown>;
  each(raw.actions, childKey(path, 'actions'), (a, at) => check(at, a, 'identifier'));
  each(raw.resources, childKey(path, 'resources'), (r, at) => check(at, r, 'value'));
  const conditions = childKey(path, 'conditions');
  for (const [operator, block] of entries(raw.conditions)) {
    const opPath = childKey(conditions, operator);
    check(opPath, operator, 'identifier', true);
    for (const [key, value] of entries(block)) {
      const keyPath = childKey(opPath, key);
      check(keyPath, key, 'identifier', true);
      if (Array.isArray(value)) each(value, keyPath, (v, at) => check(at, v, 'value'));
      else check(keyPath, value, 'value');
    }
  }
}
