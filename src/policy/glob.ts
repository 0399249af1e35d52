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
