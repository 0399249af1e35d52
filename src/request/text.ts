/** Checks on free text from users (reasons, descriptions) that end up in PR comments and audit logs. */

// Newlines are fine (block scalars); other C0/C1 controls, zero-width, bidi and line/paragraph
// separators are not: they hide or reorder what a reviewer reads.
const HIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

/** Why `text` cannot be shown to a reviewer as it is, or undefined when it can. */
export function hiddenCharacter(text: string): string | undefined {
  const match = HIDDEN.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0) ?? 0;
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `contains the invisible or control character ${name} at character ${match.index + 1}: remove it`;
}
