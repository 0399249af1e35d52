import { hiddenCharacters } from '../text/hidden.js';

/**
 * The one place where untrusted strings (request files, CloudTrail events) become markdown.
 *
 * GitHub turns @mentions, #references and bare URLs into links after rendering, on text nodes
 * outside code; HTML entities do not stop that because they are decoded first. Code spans are
 * the construct GitHub leaves alone, so every untrusted value is rendered as a code span whose
 * fence is longer than any backtick run inside it.
 */

export interface CodeOptions {
  /** Characters kept before the value is cut with an ellipsis. */
  max?: number;
  /** The span sits in a table cell: `|` must not end the cell. */
  inTable?: boolean;
}

/** An untrusted value as an inline code span: never HTML, a link, a mention or a reference. */
export function code(value: string, { max = 200, inTable = false }: CodeOptions = {}): string {
  // A code span is one line: newlines go too, with everything that hides or reorders text.
  let text = value.replace(hiddenCharacters(), ' ').replace(/\n/g, ' ');
  if ([...text].length > max) text = [...text].slice(0, max - 1).join('') + '…';
  if (inTable) text = text.replace(/\|/g, '\\|');
  if (text.trim() === '') return '` `';
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // A space on both sides keeps a leading or trailing backtick from merging with the fence.
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A table cell holding an untrusted value. */
export const cell = (value: string, max = 120): string => code(value, { max, inTable: true });

/** A fenced block for machine text (policy JSON): the fence outlasts any backtick run inside. */
export function fenced(text: string, language = ''): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${text.replace(hiddenCharacters(), ' ')}\n${fence}`;
}
