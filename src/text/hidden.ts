/**
 * Characters that hide or reorder what a reader sees: C0/C1 controls except the newline,
 * zero-width characters, bidi controls and line/paragraph separators. One definition for the
 * request checks (refuse them), the markdown report and the terminal (neutralise them).
 */
const SOURCE =
  '[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]';

/** A fresh regular expression over the hidden characters (fresh, because `g` ones keep state). */
export const hiddenCharacters = (flags = 'gu'): RegExp => new RegExp(SOURCE, flags);

const HIDDEN = hiddenCharacters('u');

/** Why `text` cannot be shown to a reviewer as it is, or undefined when it can. */
export function hiddenCharacter(text: string): string | undefined {
  const match = HIDDEN.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0) ?? 0;
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `contains the invisible or control character ${name} at character ${match.index + 1}: remove it`;
}
