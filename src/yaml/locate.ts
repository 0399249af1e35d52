import type { Problem } from '../problem.js';
import { parentPath } from './path.js';
import type { YamlDoc } from './parse.js';

/**
 * Gives a problem found after parsing (resolution, policy lint) the file and the line of its
 * path, or of the nearest enclosing field the file has: a missing `ticket` points at the file's
 * first line, an unknown action at the action itself.
 */
export function locate(problem: Problem, doc: YamlDoc, file: string): Problem {
  if (problem.line !== undefined) return { ...problem, file: problem.file ?? file };
  for (let path = problem.path; ; path = parentPath(path)) {
    const at = doc.position(path);
    if (at) return { ...problem, file, line: at.line, column: at.column };
    if (path === '') return { ...problem, file, line: 1, column: 1 };
  }
}
