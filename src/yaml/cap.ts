import { error, type Problem } from '../problem.js';

/** More problems than this help nobody: a hostile file could otherwise yield thousands. */
export const MAX_PROBLEMS = 50;

/** The first MAX_PROBLEMS, and one more saying how many were left out (at the first left out). */
export function capped(problems: Problem[]): Problem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const next = problems[MAX_PROBLEMS];
  const more = {
    ...error('', `${problems.length - MAX_PROBLEMS} more problems not shown`),
    code: 'TOO_MANY_PROBLEMS',
  };
  const at = next?.line === undefined ? {} : { line: next.line, column: next.column ?? 1 };
  return [...problems.slice(0, MAX_PROBLEMS), { ...more, ...at }];
}
