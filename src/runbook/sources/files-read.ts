/**
 * Reading one `{"Records":[…]}` log file's bytes into records, shared by the files source on the
 * main thread and its reader threads (files-worker.ts). It imports only Node's modules, so a
 * reader thread loads nothing else.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Larger `{"Records":[…]}` files than this (uncompressed) are skipped: use `.jsonl` instead. */
export const MAX_JSON_FILE_BYTES = 256 * 1024 * 1024;

/** Some records of a file, and how many it held for them (more when some were not parsed). */
export interface Batch {
  // Typed loosely here: the source's caller types them (event.ts is not imported by threads).
  records: unknown[];
  seen: number;
}

/** A file read by a reader thread: its size on disk and the records that may be wanted. */
export interface FileRead extends Batch {
  bytes: number;
}

/**
 * Output chunk of the one-shot gunzip. zlib's default, 16 KiB, costs a callback and a copy per
 * chunk on the main thread, a third of the parse time. The file's own size, from the gzip
 * trailer (the size mod 2^32, so only a hint), within these bounds makes it one chunk.
 */
export const gunzipChunk = (gz: Buffer): number =>
  gz.length < 18
    ? GUNZIP_CHUNK_MIN
    : Math.min(Math.max(gz.readUInt32LE(gz.length - 4) + 1, GUNZIP_CHUNK_MIN), GUNZIP_CHUNK_MAX);
const GUNZIP_CHUNK_MIN = 64 * 1024;
const GUNZIP_CHUNK_MAX = 16 * 1024 * 1024;

/** gunzip's failure as the user reads it: too large is said in the file's terms. */
export const gunzipFailure = (e: unknown): Error =>
  new Error(
    /larger than|maxOutputLength|ERR_BUFFER_TOO_LARGE/.test(messageOf(e))
      ? `over ${MAX_JSON_FILE_BYTES} bytes uncompressed: deliver it as .jsonl`
      : messageOf(e),
  );

/**
 * A `.json` or `.json.gz` file read whole on the calling thread (a reader thread: it has no
 * event loop work to interleave), then `recordsOf`. Throws what the main thread's read throws.
 */
export function readJsonFile(file: string, needle: string | undefined): FileRead {
  const raw = readFileSync(file);
  let data = raw;
  if (file.endsWith('.gz'))
    try {
      data = gunzipSync(raw, { maxOutputLength: MAX_JSON_FILE_BYTES, chunkSize: gunzipChunk(raw) });
    } catch (e) {
      throw gunzipFailure(e);
    }
  return { bytes: raw.length, ...recordsOf(raw, data, needle) };
}

/**
 * The records of a file's bytes (`raw` as read, `data` gunzipped when it was gzipped): only the
 * pieces that may hold the principal's records when the file can be skimmed, else all.
 */
export function recordsOf(raw: Buffer, data: Buffer, needle: string | undefined): Batch {
  if (data.length > MAX_JSON_FILE_BYTES)
    throw new Error(`over ${MAX_JSON_FILE_BYTES} bytes: deliver it as .jsonl`);
  // Only gzipped files, whose checksum vouches that they are whole and as written.
  const skimmed = needle === undefined || data === raw ? undefined : skim(data, needle);
  if (skimmed) return skimmed;
  const body = JSON.parse(data.toString('utf8')) as { Records?: unknown };
  if (!Array.isArray(body.Records)) throw new Error('not a CloudTrail log file: no "Records" list');
  return { records: body.Records, seen: body.Records.length };
}

const ENVELOPE = Buffer.from('{"Records":[');
const RECORD_START = Buffer.from('{"eventVersion":');
const BACKSLASH = 0x5c;

/**
 * The records of a `{"Records":[…]}` file as CloudTrail writes it, parsing only those whose text
 * holds `needle` or an escape: the others cannot be the principal's. A principal's records are
 * a small part of an organisation's trail, and parsing is most of the cost of reading it.
 *
 * CloudTrail writes every record as `{"eventVersion":…`, so the file is cut before each such
 * text. In valid JSON that text only starts an object (inside a string its `"` would end the
 * string, and `e` cannot follow one), so each piece is one record or, if a record nests an
 * object that starts that way, part of one; a part never parses on its own. A record holding
 * the needle in a string holds it as text, unless the string has an escape (`\\/`, `\\u…`),
 * which the record then holds too; that text never spans a cut. So every record the query can
 * want lies in pieces that are parsed, and a parse that fails (a part, or anything unexpected)
 * or a file not shaped as expected falls back to parsing the whole file. The one difference: a
 * file whose unparsed records are not valid JSON is read, not rejected. So only `.json.gz` files
 * are skimmed: gzip's checksum rejects one damaged or cut short, and what CloudTrail wrote is
 * valid JSON; a plain `.json`, perhaps edited by hand, is always parsed whole. Progress counts
 * a record nesting such an object as two.
 *
 * Undefined when the whole file should be parsed instead.
 */
function skim(data: Buffer, needle: string): Batch | undefined {
  if (data.compare(ENVELOPE, 0, ENVELOPE.length, 0, ENVELOPE.length) !== 0) return undefined;
  if (data.indexOf(RECORD_START, ENVELOPE.length) !== ENVELOPE.length) return undefined;
  // Where the array ends: `}` `]` `}` with only whitespace around, or the shape is not known.
  let end = data.length - 1;
  end = skipSpaceBack(data, end);
  if (data[end] !== 0x7d) return undefined; // `}`
  end = skipSpaceBack(data, end - 1);
  if (data[end] !== 0x5d) return undefined; // `]`
  end = skipSpaceBack(data, end - 1) + 1; // after the last record's `}`

  const starts: number[] = [];
  for (let at = ENVELOPE.length; at !== -1 && at < end; at = data.indexOf(RECORD_START, at + 1))
    starts.push(at);
  const wanted = new Uint8Array(starts.length);
  markPieces(data, starts, end, needle, wanted);
  markPieces(data, starts, end, BACKSLASH, wanted);

  const records: unknown[] = [];
  for (let i = 0; i < starts.length; i++) {
    if (!wanted[i]) continue;
    let last = end;
    if (i + 1 < starts.length) {
      // Up to the `,` before the next record.
      last = skipSpaceBack(data, starts[i + 1]! - 1);
      if (data[last] !== 0x2c) return undefined;
    }
    try {
      records.push(JSON.parse(data.toString('utf8', starts[i], last)));
    } catch {
      return undefined;
    }
  }
  return { records, seen: starts.length };
}

/** Marks the pieces (from each of `starts` to the next, the last to `end`) holding `text`. */
function markPieces(
  data: Buffer,
  starts: number[],
  end: number,
  text: string | number,
  marks: Uint8Array,
): void {
  let piece = 0;
  for (let at = data.indexOf(text); at !== -1 && at < end; at = data.indexOf(text, at + 1)) {
    while (piece + 1 < starts.length && starts[piece + 1]! <= at) piece++;
    marks[piece] = 1;
    // Nothing more to learn from this piece: go on from the next one.
    if (piece + 1 >= starts.length) return;
    at = starts[piece + 1]! - 1;
  }
}

/** The last index at or before `at` that is not JSON whitespace. */
function skipSpaceBack(data: Buffer, at: number): number {
  while (
    at >= 0 &&
    (data[at] === 0x20 || data[at] === 0x0a || data[at] === 0x0d || data[at] === 0x09)
  )
    at--;
  return at;
}

/** Node's stream errors may come from another realm (a VM context), so no `instanceof Error`. */
export const messageOf = (e: unknown): string =>
  typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : String(e);
