/**
 * Safe YAML: js-yaml's positioned event stream, turned into plain values here so that every
 * YAML feature an attacker could use is refused with its line instead of being interpreted.
 * Refused: input over 64 KiB, anchors, aliases, explicit tags, merge keys, duplicate keys,
 * non-text keys, prototype keys, directives and more than one document. Plain scalars follow the
 * YAML 1.2 core schema (`2` is a number, `true` a boolean, `2026-01-01` text); quoted ones are text.
 */
import { EVENT_ID, SCALAR_STYLE, YAMLException, getScalarValue, parseEvents } from 'js-yaml';
import type { Event, ScalarEvent } from 'js-yaml';
import { error, fail, ok, type Problem, type Result, type SourcePosition } from '../problem.js';
import { childIndex, childKey } from './path.js';
import { capped } from './cap.js';
import { show } from './show.js';
import { LineIndex } from './source-map.js';
import { syntaxHint } from './syntax-hint.js';

export const MAX_YAML_BYTES = 64 * 1024;
/** Our formats nest about eight levels deep; anything far deeper is an attack on the parser. */
export const MAX_YAML_DEPTH = 24;
/** Keys end up in paths and annotation titles; ours are short (condition keys, logins). */
export const MAX_KEY_LENGTH = 256;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface YamlDoc {
  /** Plain data: objects have no prototype, so no key can reach `Object.prototype`. */
  value: unknown;
  /** Where the value at `path` starts (for a mapping entry: its value, or its key when empty). */
  position(path: string): SourcePosition | undefined;
  /** Where the key of the mapping entry at `path` is written. */
  keyPosition(path: string): SourcePosition | undefined;
  /** The source text of the scalar at `path`, e.g. `012345678912` for a number that lost a zero. */
  raw(path: string): string | undefined;
}

export function parseYaml(text: string): Result<YamlDoc> {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_YAML_BYTES) {
    return fail([
      error('', `file is ${bytes} bytes; the limit is ${MAX_YAML_BYTES} bytes (64 KiB)`, {
        line: 1,
        column: 1,
      }),
    ]);
  }
  const lines = new LineIndex(text);
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: MAX_YAML_DEPTH });
  } catch (e) {
    if (!(e instanceof YAMLException)) throw e;
    const at = e.mark
      ? { line: e.mark.line + 1, column: e.mark.column + 1 }
      : { line: 1, column: 1 };
    if (e.reason.includes('maxDepth'))
      return fail([syntaxError(`nesting is deeper than ${MAX_YAML_DEPTH} levels`, at)]);
    const hint = syntaxHint(text, e.mark?.position ?? 0);
    return fail([hint ? syntaxError(hint.message, hint.at) : syntaxError(e.reason, at)]);
  }
  const builder = new Builder(text, events, lines);
  const value = builder.document();
  if (builder.problems.length > 0) return fail(capped(builder.problems));
  const { positions, keyPositions, raws } = builder;
  return ok({
    value,
    position: (path) => positions.get(path),
    keyPosition: (path) => keyPositions.get(path),
    raw: (path) => raws.get(path),
  });
}

const syntaxError = (message: string, at: SourcePosition): Problem => ({
  ...error('', `YAML syntax error: ${message}`, at),
  code: 'YAML_SYNTAX',
});

class Builder {
  readonly problems: Problem[] = [];
  readonly positions = new Map<string, SourcePosition>();
  readonly keyPositions = new Map<string, SourcePosition>();
  readonly raws = new Map<string, string>();
  private i = 0;
  /** Offset of the last key read, for problems about that key. */
  private lastOffset = 0;

  constructor(
    private readonly text: string,
    private readonly events: Event[],
    private readonly lines: LineIndex,
  ) {}

  document(): unknown {
    const documents = this.events.filter((e) => e.type === EVENT_ID.DOCUMENT);
    if (documents.length === 0) {
      this.positions.set('', { line: 1, column: 1 });
      return null;
    }
    const first = documents[0];
    if (first && first.directives.length > 0) {
      this.problem(
        '',
        'YAML directives (%YAML, %TAG) are not allowed: remove the line',
        this.directiveOffset(),
      );
    }
    if (documents.length > 1) {
      this.problem(
        '',
        'only one YAML document is allowed: remove the second "---" and everything after it',
        this.secondDocumentOffset(),
      );
    }
    this.i = 1;
    return this.node('', 0);
  }

  private node(path: string, fallback: number): unknown {
    const event = this.events[this.i++];
    switch (event?.type) {
      case EVENT_ID.SCALAR:
        return this.scalar(event, path, fallback);
      case EVENT_ID.ALIAS:
        this.problem(
          path,
          'aliases (*name) are not allowed: write the value out in full',
          event.anchorStart - 1,
        );
        return null;
      case EVENT_ID.SEQUENCE: {
        this.record(path, event.start);
        this.properties(event, path);
        const list: unknown[] = [];
        while (this.events[this.i]?.type !== EVENT_ID.POP)
          list.push(this.node(childIndex(path, list.length), event.start));
        this.i++;
        return list;
      }
      case EVENT_ID.MAPPING: {
        this.record(path, event.start);
        this.properties(event, path);
        return this.mapping(path, event.start);
      }
      default:
        throw new Error(`unexpected YAML event ${String(event?.type)} at ${this.i - 1}`);
    }
  }

  private mapping(path: string, start: number): Record<string, unknown> {
    const result = Object.create(null) as Record<string, unknown>;
    const firstLine = new Map<string, number>();
    while (this.events[this.i]?.type !== EVENT_ID.POP) {
      const key = this.key(path, start);
      const keyOffset = this.lastOffset;
      if (key === undefined) {
        this.skip();
        continue;
      }
      const child = childKey(path, key);
      const seen = firstLine.get(key);
      if (seen !== undefined) {
        this.problem(
          child,
          `duplicate key ${show(key)} (first on line ${seen}): keep only one`,
          keyOffset,
        );
        this.skip();
        continue;
      }
      const keyAt = this.lines.at(keyOffset);
      firstLine.set(key, keyAt.line);
      this.keyPositions.set(child, keyAt);
      result[key] = this.node(child, keyOffset);
    }
    this.i++;
    return result;
  }

  /** The key as text, or undefined (after reporting why) when it cannot be one. */
  private key(path: string, fallback: number): string | undefined {
    const event = this.events[this.i];
    if (event?.type !== EVENT_ID.SCALAR) {
      this.lastOffset = event && 'start' in event ? event.start : fallback;
      this.problem(
        path,
        'a mapping key must be text, not a list, mapping or alias',
        this.lastOffset,
      );
      this.skip();
      return undefined;
    }
    this.i++;
    this.lastOffset = event.valueStart >= 0 ? event.valueStart : fallback;
    this.properties(event, path);
    const text = getScalarValue(this.text, event);
    if (event.style === SCALAR_STYLE.PLAIN && text === '<<') {
      this.problem(
        path,
        'merge keys (<<) are not allowed: write the fields out in full',
        this.lastOffset,
      );
      return undefined;
    }
    const resolved = event.style === SCALAR_STYLE.PLAIN ? resolvePlain(text) : text;
    if (typeof resolved !== 'string') {
      const kind = resolved === null ? 'null' : typeof resolved;
      const shown = text === '' ? 'an empty key' : `key ${text}`;
      this.problem(
        path,
        `${shown} is read as ${kind}; mapping keys must be text: quote it or rename it`,
        this.lastOffset,
      );
      return undefined;
    }
    if (resolved.length > MAX_KEY_LENGTH) {
      const message = `key ${show(resolved, 40)} is ${resolved.length} characters long; keys are at most ${MAX_KEY_LENGTH}`;
      this.problem(path, message, this.lastOffset);
      return undefined;
    }
    if (FORBIDDEN_KEYS.has(resolved)) {
      this.problem(
        childKey(path, resolved),
        `key ${show(resolved)} is not allowed`,
        this.lastOffset,
      );
      return undefined;
    }
    return resolved;
  }

  private scalar(event: ScalarEvent, path: string, fallback: number): unknown {
    const offset = event.valueStart >= 0 ? event.valueStart : fallback;
    this.record(path, offset);
    this.properties(event, path);
    const text = getScalarValue(this.text, event);
    if (event.valueStart >= 0)
      this.raws.set(path, this.text.slice(event.valueStart, event.valueEnd));
    return event.style === SCALAR_STYLE.PLAIN ? resolvePlain(text) : text;
  }

  /** Anchors and tags on any node. */
  private properties(
    event: { anchorStart: number; tagStart: number; tagEnd: number },
    path: string,
  ): void {
    if (event.anchorStart >= 0) {
      this.problem(
        path,
        'anchors (&name) are not allowed: write the value out in full',
        event.anchorStart - 1,
      );
    }
    if (event.tagStart >= 0) {
      const tag = this.text.slice(event.tagStart, event.tagEnd);
      this.problem(
        path,
        `explicit tags (${JSON.stringify(tag)}) are not allowed: remove the tag, and quote the value if it must be text`,
        event.tagStart,
      );
    }
  }

  /** Reads past one node without building it (after a rejected key). */
  private skip(): void {
    let depth = 0;
    do {
      const type = this.events[this.i++]?.type;
      if (type === EVENT_ID.SEQUENCE || type === EVENT_ID.MAPPING) depth++;
      else if (type === EVENT_ID.POP) depth--;
    } while (depth > 0 && this.i < this.events.length);
  }

  private record(path: string, offset: number): void {
    if (!this.positions.has(path)) this.positions.set(path, this.lines.at(offset));
  }

  private problem(path: string, message: string, offset: number): void {
    this.problems.push(error(path, message, this.lines.at(Math.max(0, offset))));
  }

  private directiveOffset(): number {
    return Math.max(0, this.text.search(/^%/m));
  }

  private secondDocumentOffset(): number {
    const markers = [...this.text.matchAll(/^(---|\.\.\.)(?=\s|$)/gm)].map((m) => m.index);
    // The second document starts at the first marker after the first document's content.
    const firstContent = this.text.search(/^[^#\s%]/m);
    return markers.find((m) => m > firstContent) ?? markers[0] ?? 0;
  }
}

const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** The YAML 1.2 core schema for untagged plain scalars. */
function resolvePlain(text: string): unknown {
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL')
    return null;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  if (INT.test(text)) return Number.parseInt(text, 10);
  if (OCT.test(text)) return Number.parseInt(text.slice(2), 8);
  if (HEX.test(text)) return Number.parseInt(text.slice(2), 16);
  if (FLOAT.test(text)) return Number.parseFloat(text);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(text)) return Number.NaN;
  return text;
}
