/**
 * Bytes → text, refusing anything that is not UTF-8. A lenient decoder turns a bad byte into
 * U+FFFD, so a reviewer would read a character the requester never wrote; here the file is
 * refused at the first bad byte, with its offset, line and column, before any YAML is read.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import type { Problem, Result } from '../problem.js';

/** Byte order marks of encodings that are not UTF-8, longest first (UTF-32LE starts like UTF-16LE). */
const FOREIGN_BOMS: { bytes: number[]; name: string }[] = [
  { bytes: [0xff, 0xfe, 0x00, 0x00], name: 'UTF-32 (little-endian)' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], name: 'UTF-32 (big-endian)' },
  { bytes: [0xff, 0xfe], name: 'UTF-16 (little-endian)' },
  { bytes: [0xfe, 0xff], name: 'UTF-16 (big-endian)' },
];

/** The text of a UTF-8 file (a UTF-8 byte order mark is dropped), or why it is not one. */
export function decodeUtf8(bytes: Uint8Array): Result<string> {
  const foreign = FOREIGN_BOMS.find((bom) => bom.bytes.every((b, i) => bytes[i] === b));
  if (foreign)
    return refuse(
      'NOT_UTF8',
      `the file is ${foreign.name}, not UTF-8: save it as UTF-8 (most editors offer this under "Save with encoding")`,
      { line: 1, column: 1 },
    );
  // isUtf8 is a native check; a fatal TextDecoder costs ~10 ms of ICU set-up at every start.
  if (isUtf8(bytes)) return { ok: true, value: utf8(bytes) };
  const offset = firstInvalidByte(bytes);
  const at = positionOf(bytes, offset);
  const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  return refuse(
    'INVALID_UTF8',
    `byte 0x${byte} at offset ${offset} (line ${at.line}, column ${at.column}) is not valid UTF-8: save the file as UTF-8 and retype the character there`,
    at,
  );
}

/** Bytes already known to be valid UTF-8, as text without a leading byte order mark. */
function utf8(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function refuse(code: string, message: string, at: { line: number; column: number }) {
  const problem: Problem = { path: '', message, severity: 'error', code, ...at };
  return { ok: false as const, problems: [problem] };
}

/**
 * The offset of the first byte that does not start or continue a well-formed UTF-8 sequence
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
 */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Length of the sequence and the allowed range of its second byte.
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      const [lo, hi] = k === 1 ? [low, high] : [0x80, 0xbf];
      // A truncated or broken sequence is reported at its lead byte, where the character starts.
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += length;
  }
  return bytes.length;
}

/** 1-based line and column (in characters of the valid text before it) of a byte offset. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  const before = utf8(bytes.subarray(0, offset));
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: [...(lines.at(-1) ?? '')].length + 1 };
}
