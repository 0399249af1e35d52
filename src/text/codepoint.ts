/**
 * A code point as a user can act on it: `U+043E (Cyrillic small letter "о")`. Node ships no
 * character names, so letters are described from Unicode's script and case properties; the
 * invisible characters people actually meet (where showing the character itself shows nothing)
 * carry their Unicode names.
 */

const NAMES: Record<number, string> = {
  0x0000: 'NULL',
  0x0009: 'CHARACTER TABULATION',
  0x000d: 'CARRIAGE RETURN',
  0x001b: 'ESCAPE',
  0x00a0: 'NO-BREAK SPACE',
  0x00ad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3000: 'IDEOGRAPHIC SPACE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE, byte order mark',
};

/**
 * Scripts a letter is told apart by. A letter in none of them is reported as "other script":
 * the look-alike threat is to readers of the scripts listed here.
 */
const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Georgian',
  'Cherokee',
  'Coptic',
  'Lisu',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Khmer',
  'Mongolian',
  'Ethiopic',
  'Canadian_Aboriginal',
  'Tifinagh',
  'Runic',
  'Ogham',
  'Vai',
  'Osage',
  'Adlam',
  'Han',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Hangul',
  'Yi',
].map((name) => ({
  name: name.replace(/_/g, ' '),
  test: new RegExp(`^\\p{Script=${name}}$`, 'u'),
}));

/** The script of a letter by Unicode's Script property, e.g. `Cyrillic`. */
export function scriptOf(letter: string): string {
  return SCRIPTS.find((s) => s.test.test(letter))?.name ?? 'other script';
}

/** `U+043E`. */
export const codePointLabel = (cp: number): string =>
  `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

function kind(ch: string): string {
  if (/\p{Lu}/u.test(ch)) return `${scriptOf(ch)} capital letter`;
  if (/\p{Ll}/u.test(ch)) return `${scriptOf(ch)} small letter`;
  if (/\p{L}/u.test(ch)) return `${scriptOf(ch)} letter`;
  if (/\p{M}/u.test(ch)) return 'combining mark';
  if (/\p{N}/u.test(ch)) return 'digit or number';
  if (/\p{Zs}/u.test(ch)) return 'space';
  if (/\p{Cc}/u.test(ch)) return 'control character';
  if (/\p{Cf}/u.test(ch)) return 'invisible format character';
  if (/\p{Co}/u.test(ch)) return 'private-use character';
  if (/\p{Cs}/u.test(ch)) return 'lone surrogate';
  if (/\p{Cn}/u.test(ch)) return 'unassigned code point';
  return 'symbol or punctuation';
}

/** `U+202E (RIGHT-TO-LEFT OVERRIDE)`, `U+043E (Cyrillic small letter "о")`. */
export function describeCodePoint(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const name = NAMES[cp];
  if (name) return `${codePointLabel(cp)} (${name})`;
  const what = kind(ch);
  const visible = /[\p{L}\p{N}\p{P}\p{S}]/u.test(ch);
  return `${codePointLabel(cp)} (${what}${visible ? ` ${JSON.stringify(ch)}` : ''})`;
}
