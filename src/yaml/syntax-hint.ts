/**
 * js-yaml names what its grammar tripped on ("bad indentation of a mapping entry", "deficient
 * indentation"), often lines after the mistake. These are the mistakes people make in request
 * files, found in the text itself and pointed at where they were made.
 */
import type { SourcePosition } from '../problem.js';
import { LineIndex } from './source-map.js';

export interface SyntaxHint {
  message: string;
  at: SourcePosition;
}

/** The likely mistake behind a syntax error at `errorOffset`, or undefined when none is recognised. */
export function syntaxHint(text: string, errorOffset: number): SyntaxHint | undefined {
  const lines = new LineIndex(text);
  const errorLine = lines.at(errorOffset).line;
  return (
    tabIndent(text, lines, errorLine) ??
    unclosed(text, lines, errorOffset) ??
    colonInValue(text, errorLine)
  );
}

/** A tab in a line's indentation, on or before the line the parser stopped at. */
function tabIndent(text: string, lines: LineIndex, errorLine: number): SyntaxHint | undefined {
  const indent = /^[ \t]*\t/gm;
  for (const m of text.matchAll(indent)) {
    const at = lines.at(m.index + m[0].length - 1);
    if (at.line > errorLine) return undefined;
    return {
      message: `line ${at.line} is indented with a tab: YAML indents with spaces only, so replace the tab with spaces`,
      at,
    };
  }
  return undefined;
}

/**
 * A quote, `[` or `{` that opens a value and is still open where the parser stopped: a missing
 * `]`, `}` or quote makes the parser read the following lines as part of that value.
 */
function unclosed(text: string, lines: LineIndex, errorOffset: number): SyntaxHint | undefined {
  const open: { char: string; offset: number }[] = [];
  let quote: string | undefined;
  let quoteOffset = 0;
  // Where a node may start: a line's start, after `key: `, `- `, or `[`, `{`, `,` in a flow.
  let nodeStart = true;
  let lineStart = true;
  for (let i = 0; i < text.length && i <= errorOffset; i++) {
    const c = text[i]!;
    if (quote) {
      if (quote === '"' && c === '\\') i++;
      else if (c === quote && quote === "'" && text[i + 1] === "'") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '\n' || c === '\r') {
      // Inside a flow collection a line break is only a space.
      if (open.length === 0) nodeStart = lineStart = true;
      continue;
    }
    if (c === ' ' || c === '\t') continue;
    const spaceAfter = /\s/.test(text[i + 1] ?? ' ');
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
      continue;
    }
    const wasLineStart = lineStart;
    lineStart = false;
    if (nodeStart && (c === '"' || c === "'")) [quote, quoteOffset] = [c, i];
    else if (nodeStart && (c === '[' || c === '{')) open.push({ char: c, offset: i });
    else if (open.length > 0 && (c === ']' || c === '}')) {
      open.pop();
      nodeStart = false;
    } else if (open.length > 0 && c === ',') nodeStart = true;
    else if (c === ':' && spaceAfter) nodeStart = true;
    else if (c === '-' && spaceAfter && wasLineStart) {
      nodeStart = lineStart = true;
    } else nodeStart = false;
  }
  if (quote) {
    const at = lines.at(quoteOffset);
    return {
      message: `the ${quote} on line ${at.line} is never closed: end the value with ${quote}`,
      at,
    };
  }
  const unclosed = open.at(-1);
  if (!unclosed) return undefined;
  const at = lines.at(unclosed.offset);
  const [close, what] = unclosed.char === '[' ? [']', 'list'] : ['}', 'mapping'];
  return {
    message: `the ${unclosed.char} on line ${at.line} is never closed: add ${close} at the end of its ${what}`,
    at,
  };
}

/** `reason: fix: the thing`: an unquoted value holding `: ` reads as a second key. */
function colonInValue(text: string, errorLine: number): SyntaxHint | undefined {
  const line = text.split(/\r\n|\r|\n/)[errorLine - 1] ?? '';
  const m = /^(\s*(?:-\s+)?)([^\s:#'"[{][^:#]*?):\s+([^\s'"[{|>].*?)\s*$/.exec(line);
  if (!m) return undefined;
  const [, lead = '', key = '', value = ''] = m;
  const inner = value.search(/:(\s|$)/);
  if (inner < 0) return undefined;
  const column = line.indexOf(value, lead.length + key.length) + inner + 1;
  const quoted = JSON.stringify(value.replace(/\s+#.*$/, ''));
  return {
    message: `the value of ${key} contains ": ", which YAML reads as the start of another key: quote the whole value, e.g. ${key}: ${quoted}`,
    at: { line: errorLine, column },
  };
}
