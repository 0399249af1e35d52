/**
 * Text that reads as something it is not. A policy value such as `StringNotEquals
 * aws:ResourceTag/env: "prоd"` (Cyrillic о) reads "not prod" to a reviewer and matches prod.
 * The rule, by kind of string:
 * - every string: no hidden character (controls, bidi, zero-width, see hidden.ts);
 * - identifiers IAM and GitHub define as ASCII (actions, condition keys and operators, ARNs of
 *   principals, logins, aliases, profile names, tickets): printable ASCII only;
 * - values that may be any text (resources, condition values): no line break, no space other
 *   than U+0020, and no word that mixes scripts, except Latin with the Han, Kana and Hangul
 *   that Chinese, Japanese and Korean text mixes by design (Unicode TR 39, highly restrictive).
 * Scripts come from Unicode's Script property in Node's regular expressions, not a table.
 */
import { describeCodePoint, scriptOf } from './codepoint.js';
import { hiddenCharacter } from './hidden.js';

export type TextKind = 'identifier' | 'value';

/** Why `text` may not reach a policy, or undefined when it may. */
export function textProblem(text: string, kind: TextKind): string | undefined {
  const hidden = hiddenCharacter(text);
  if (hidden) return hidden;
  const chars = [...text];
  const at = (test: (ch: string) => boolean) => chars.findIndex(test);

  const lineBreak = at((ch) => ch === '\n');
  if (lineBreak >= 0) return `contains a line break at character ${lineBreak + 1}: remove it`;

  if (kind === 'identifier') {
    const i = at((ch) => !/^[\x20-\x7e]$/.test(ch));
    if (i >= 0)
      return `contains ${describeCodePoint(chars[i]!)} at character ${i + 1}, which is not ASCII: IAM names and identifiers are ASCII; retype it`;
    return undefined;
  }

  const space = at((ch) => /^\p{Zs}$/u.test(ch) && ch !== ' ');
  if (space >= 0)
    return `contains ${describeCodePoint(chars[space]!)} at character ${space + 1}, which looks like a space but is not: type a plain space`;

  return mixedScript(text);
}

/** Scripts that mix with Latin and with each other in Chinese, Japanese and Korean writing. */
const CJK = new Set(['Han', 'Hiragana', 'Katakana', 'Bopomofo', 'Hangul']);
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const LETTER = /^\p{L}$/u;

function mixedScript(text: string): string | undefined {
  for (const match of text.matchAll(WORD)) {
    const letters = [...match[0]]
      .map((ch, i) => ({ ch, i, script: LETTER.test(ch) ? scriptOf(ch) : '' }))
      .filter((l) => l.script !== '' && !CJK.has(l.script));
    const counts = new Map<string, number>();
    for (const l of letters) counts.set(l.script, (counts.get(l.script) ?? 0) + 1);
    if (counts.size < 2) continue;
    // The word's own script is the one most of its letters use (Latin on a tie): the odd letter
    // out is the one to name.
    const main = [...counts].sort(
      ([a, x], [b, y]) => y - x || Number(b === 'Latin') - Number(a === 'Latin'),
    )[0]![0];
    const odd = letters.find((l) => l.script !== main)!;
    const start = [...text.slice(0, match.index)].length;
    return `mixes ${main} and ${odd.script} letters in the word ${JSON.stringify(match[0])}: ${describeCodePoint(odd.ch)} at character ${start + odd.i + 1}; a letter from another script can make a word read as a different one: retype it in one script`;
  }
  return undefined;
}
