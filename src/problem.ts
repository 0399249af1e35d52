/** Errors are values: every check returns problems instead of throwing. */

export interface SourcePosition {
  /** 1-based line in the source file. */
  line: number;
  /** 1-based column in the source file. */
  column: number;
}

export interface Problem {
  /** Dotted path of the offending field, e.g. `permissions[0].actions[1]`; `` for the whole file. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
  /**
   * Stable identifier of the kind of problem (`APPROVALS_MISSING`, …): code and tests match on
   * it, never on the message, which may be reworded.
   */
  code?: string;
  /** File the problem was found in, relative to the repository root when known. */
  file?: string;
  line?: number;
  column?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(problems: Problem[]): Result<T> => ({ ok: false, problems });

export function error(path: string, message: string, at?: SourcePosition): Problem {
  return at
    ? { path, message, severity: 'error', line: at.line, column: at.column }
    : { path, message, severity: 'error' };
}
