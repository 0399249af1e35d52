import { codePointLabel } from '../text/codepoint.js';
import { hiddenCharacters } from '../text/hidden.js';

/**
 * The one place where untrusted strings (request files, CloudTrail events) become markdown.
 *
 * GitHub turns @mentions, #references and bare URLs into links after rendering, on text nodes
 * outside code; HTML entities do not stop that because they are decoded first. Code spans are
 * the construct GitHub leaves alone, so every untrusted value is rendered as code spans whose
 * fences are longer than any backtick run inside them.
 *
 * A `|` never goes inside a span. GFM splits a table row before it parses inlines, and its only
 * escape is `\|`, with `\\` consumed as a pair: `a\|b` escaped as `a\\|b` would end the cell
 * at that pipe and let the rest of the value out of its code span. So the value is cut at every
 * pipe and each pipe is written between spans as `\|`, which is a literal `|` in a table cell
 * and in plain text alike: one output that is safe in a cell, a heading, a list or a paragraph.
 */

export interface CodeOptions {
  /** Characters kept before the value is cut with an ellipsis. */
  max?: number;
}

/**
 * The symbols the reports give their own verdicts (ticks, crosses, warning and flag signs): a
 * value showing one could pass for ours, e.g. a reason `✅ approved by security` on a high-risk
 * request. A value shows them as their code point instead.
 */
const STATUS_SYMBOLS =
  /[\u2611\u2705\u2713\u2714\u2716\u274c\u274e\u26a0\u23f1\u23f3\u{1f6a9}\u{1f7e2}]/gu;

/**
 * What a reviewer sees for `value`: every character, except that controls other than the newline
 * become their Unicode control pictures (a tab `␉`), other hidden characters (bidi, zero-width) a
 * visible `<U+202E>` and the reports' status symbols `<U+2705>`: nothing is reordered, hidden or
 * dressed as a verdict, and nothing silently dropped.
 */
export const visible = (value: string): string =>
  value
    .replace(hiddenCharacters(), (ch) => {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp < 0x20) return String.fromCodePoint(0x2400 + cp);
      if (cp === 0x7f) return '\u2421';
      return `<${codePointLabel(cp)}>`;
    })
    .replace(STATUS_SYMBOLS, (ch) => `<${codePointLabel(ch.codePointAt(0) ?? 0)}>`);

/** One code span holding `text`, which has no pipe and no line ending. */
function span(text: string): string {
  if (text === '') return '';
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // CommonMark strips one space from both ends of a span that has a space at both ends (unless
  // it is all spaces), and a backtick at an end would merge with the fence: pad with a space.
  const pad = /^[ `]|[ `]$/.test(text) && text.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** An untrusted value as inline code: never HTML, a link, a mention, a reference or a new cell. */
export function code(value: string, { max = 200 }: CodeOptions = {}): string {
  let text = value;
  if ([...text].length > max) text = [...text].slice(0, max - 1).join('') + '…';
  // A line ending would end a table row or a heading; it is shown, not obeyed.
  text = visible(text).replace(/\n/g, '\u240a');
  // An empty value is still a (blank) span, so the reviewer sees that it is empty.
  return text === '' ? '` `' : text.split('|').map(span).join('\\|');
}

/** A table cell holding an untrusted value. */
export const cell = (value: string, max = 120): string => code(value, { max });

/** A fenced block for machine text (policy JSON): the fence outlasts any backtick run inside. */
export function fenced(text: string, language = ''): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${visible(text.replace(/\r\n/g, '\n'))}\n${fence}`;
}
