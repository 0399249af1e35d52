// The licences of the npm packages a bundle holds, and which of them an MIT package may not
// ship. Allow-listed rather than deny-listed: a copyleft (AGPL, GPL, LGPL), source-available or
// missing licence is refused until someone reads it and adds it here.
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';

const PERMISSIVE = new Set([
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC0-1.0',
  'ISC',
  'MIT',
  'Unlicense',
]);

/**
 * name@version → SPDX licence expression ('' when it declares none) of each npm package that
 * one of `files` (absolute paths) belongs to: the innermost node_modules/<name> or
 * node_modules/@scope/<name> holding it.
 */
export async function bundledLicences(files) {
  const roots = new Set();
  for (const file of files) {
    const parts = file.split(sep);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    roots.add(parts.slice(0, at + (parts[at + 1]?.startsWith('@') ? 3 : 2)).join(sep));
  }
  const found = new Map();
  for (const dir of [...roots].sort()) {
    const json = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    found.set(`${json.name}@${json.version}`, expression(json.license ?? json.licenses));
  }
  return found;
}

/** The entries of `licences` whose terms are not all permissive (one OR branch suffices). */
export function refusedLicences(licences) {
  return [...licences].filter(([, licence]) => !permissive(licence));
}

function permissive(licence) {
  const allowed = (term) => PERMISSIVE.has(term.trim());
  // Parenthesised expressions are rare: read strictly, every term must be permissive.
  if (/[()]/.test(licence))
    return licence
      .split(/[()]|\s+(?:OR|AND)\s+/i)
      .filter((t) => t.trim())
      .every(allowed);
  return licence.split(/\s+OR\s+/i).some((branch) => branch.split(/\s+AND\s+/i).every(allowed));
}

/** package.json `license` (an SPDX expression) or the older `licenses` array or object form. */
function expression(field) {
  if (typeof field === 'string') return field;
  if (Array.isArray(field)) return field.map(expression).join(' OR ');
  if (field && typeof field.type === 'string') return field.type;
  return '';
}
