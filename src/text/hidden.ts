import { describeCodePoint } from './codepoint.js';

/**
 * Characters that hide or reorder what a reader sees: controls except the newline, format
 * characters (zero-width, bidi controls, invisible tags), line and paragraph separators, every
 * default-ignorable code point (variation selectors, fillers), private-use and lone surrogates.
 * Unicode's own properties, so the set follows the Unicode version Node ships. One definition for
 * the request checks (refuse them), the markdown report and the terminal (neutralise them).
 */
const SOURCE =
  '(?!\\n)[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}\\p{Bidi_Control}]';

/** A fresh regular expression over the hidden characters (fresh, because `g` ones keep state). */
export const hiddenCharacters = (flags = 'gu'): RegExp => new RegExp(SOURCE, flags);

const HIDDEN = hiddenCharacters('u');

/** Why `text` cannot be shown to a reviewer as it is, or undefined when it can. */
export function hiddenCharacter(text: string): string | undefined {
  const match = HIDDEN.exec(text);
  if (!match) return undefined;
  const at = [...text.slice(0, match.index)].length + 1;
  return `contains the invisible or control character ${describeCodePoint(match[0])} at character ${at}: remove it`;
}
