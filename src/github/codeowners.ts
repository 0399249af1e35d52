/**
 * Who owns a path under a CODEOWNERS file, by GitHub's rules: gitignore-style patterns, the
 * last matching line wins, and a matching line without owners leaves the path unowned.
 */

interface Rule {
  pattern: RegExp;
  owners: string[];
}

/** The owners of `path` (repository-relative, no leading slash); empty when nobody owns it. */
export function ownersOf(codeowners: string, path: string): string[] {
  let owners: string[] = [];
  for (const rule of parse(codeowners)) if (rule.pattern.test(path)) owners = rule.owners;
  return owners;
}

function parse(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    // `#` starts a comment unless escaped; `\#` names a file starting with `#`.
    const line = raw.replace(/(^|[^\\])#.*$/, '$1').trim();
    if (line === '') continue;
    const [pattern, ...owners] = line.split(/\s+/);
    if (pattern) rules.push({ pattern: toRegExp(pattern.replace(/\\#/g, '#')), owners });
  }
  return rules;
}

function toRegExp(pattern: string): RegExp {
  const directoryOnly = pattern.endsWith('/');
  const body = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  // A slash at the start or in the middle anchors the pattern at the root, as in gitignore.
  const anchored = pattern.startsWith('/') || body.includes('/');
  const source = body
    .split(/(\*\*\/|\/\*\*$|\*\*|\*|\?)/)
    .map((part) => {
      if (part === '**/') return '(?:.*/)?';
      if (part === '/**') return '/.*';
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      if (part === '?') return '[^/]';
      return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  // GitHub departs from gitignore for `dir/*`: it owns the directory's files, not deeper ones.
  const below = directoryOnly ? '/.*' : body.endsWith('/*') ? '' : '(?:/.*)?';
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${source}${below}$`);
}

/** Where GitHub looks for CODEOWNERS, in its order of precedence. */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

/**
 * The approvers CODEOWNERS names for a path on a branch, as `login` or `org/team` (the forms an
 * approval rule takes). E-mail owners cannot be matched to a reviewer and are left out.
 */
export async function codeOwnersOf(
  read: (path: string) => Promise<string | undefined>,
  path: string,
): Promise<string[]> {
  for (const location of CODEOWNERS_LOCATIONS) {
    const text = await read(location);
    if (text === undefined) continue;
    return ownersOf(text, path)
      .filter((owner) => owner.startsWith('@'))
      .map((owner) => owner.slice(1));
  }
  return [];
}
