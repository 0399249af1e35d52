import type { Problem } from '../problem.js';

/**
 * GitHub workflow commands (`::error file=…,line=…::message`). Property values and the message
 * are escaped as the runner expects, so a crafted message cannot start a second command.
 */
const escapeData = (s: string): string =>
  s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

const escapeProperty = (s: string): string =>
  escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function annotation(problem: Problem): string {
  const props: string[] = [];
  if (problem.file) props.push(`file=${escapeProperty(problem.file)}`);
  if (problem.line) props.push(`line=${problem.line}`);
  if (problem.column) props.push(`col=${problem.column}`);
  if (problem.path) props.push(`title=${escapeProperty(problem.path)}`);
  const command = problem.severity === 'warning' ? 'warning' : 'error';
  return `::${command}${props.length ? ' ' + props.join(',') : ''}::${escapeData(problem.message)}`;
}

/** `file:line:col: error: path: message`, the shape editors and terminals link. */
export function humanLine(problem: Problem): string {
  const where = [problem.file ?? '<input>', problem.line, problem.column].filter(Boolean).join(':');
  const path = problem.path ? `${problem.path}: ` : '';
  return `${where}: ${problem.severity}: ${path}${problem.message}`;
}

/** The same location in the shape `@actions/core` takes for `error()` / `warning()`. */
export function annotationProperties(problem: Problem): {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
} {
  return {
    ...(problem.path ? { title: problem.path } : {}),
    ...(problem.file ? { file: problem.file } : {}),
    ...(problem.line ? { startLine: problem.line } : {}),
    ...(problem.column ? { startColumn: problem.column } : {}),
  };
}
