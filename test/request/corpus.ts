/** Runs a request file the way `jit validate` does, in one pass: parse, resolve, lint, locate. */
import { readFileSync } from 'node:fs';
import type { JitConfig } from '../../src/domain.js';
import type { Problem } from '../../src/problem.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { planRequest } from '../../src/plan/plan.js';

/** The corpus's fixed "now": starts are judged against it. */
export const NOW = new Date('2026-03-01T00:00:00Z');

export function exampleConfig(): JitConfig {
  const parsed = parseConfig(readFileSync('jit.config.yaml', 'utf8'), 'jit.config.yaml');
  if (!parsed.ok) throw new Error(`jit.config.yaml is invalid: ${JSON.stringify(parsed.problems)}`);
  return parsed.value;
}

export function checkFile(file: string, config: JitConfig, now = NOW): Problem[] {
  const plan = planRequest({ text: readFileSync(file, 'utf8'), file, config, now });
  return plan.ok ? [] : plan.problems;
}
