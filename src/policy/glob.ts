/** IAM wildcards: `*` matches any run of characters (also none), `?` exactly one. */

export const hasWildcard = (pattern: string): boolean => /[*?]/.test(pattern);

/** Actions and condition keys compare case-insensitively in IAM; ARNs do not. */
export function globToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, ignoreCase ? 'si' : 's');
}

export const globMatches = (pattern: string, value: string, ignoreCase: boolean): boolean =>
  globToRegExp(pattern, ignoreCase).test(value);

/**
 * Whether some string matches both patterns: can a statement's resource pattern name anything a
 * second pattern names? A walk over pairs of positions in the two patterns, so it never
 * enumerates strings.
 */
export function globsOverlap(a: string, b: string, ignoreCase: boolean): boolean {
  const x = ignoreCase ? a.toLowerCase() : a;
  const y = ignoreCase ? b.toLowerCase() : b;
  if (!hasWildcard(x) && !hasWildcard(y)) return x === y;
  const width = y.length + 1;
  const seen = new Set<number>();
  const pending = [0];
  while (pending.length > 0) {
    const state = pending.pop()!;
    if (seen.has(state)) continue;
    seen.add(state);
    const i = Math.floor(state / width);
    const j = state % width;
    if (i === x.length && j === y.length) return true;
    const p = x[i];
    const q = y[j];
    const next = (ni: number, nj: number) => pending.push(ni * width + nj);
    // A star may match nothing, or absorb one character the other side must produce.
    if (p === '*') next(i + 1, j);
    if (q === '*') next(i, j + 1);
    if (p === '*' && q !== undefined && q !== '*') next(i, j + 1);
    if (q === '*' && p !== undefined && p !== '*') next(i + 1, j);
    if (p !== undefined && q !== undefined && p !== '*' && q !== '*')
      if (p === '?' || q === '?' || p === q) next(i + 1, j + 1);
  }
  return false;
}
