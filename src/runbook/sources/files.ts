/**
 * CloudTrail log files as an event source: the tree CloudTrail delivers to S3
 * (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz`, also under an org id or a
 * bucket prefix), or any directory of `.json` (`{"Records":[…]}`) and `.jsonl` files, gzipped
 * or not.
 *
 * Memory: `.jsonl` is streamed a line at a time (gunzip stream, readline). A `{"Records":[…]}`
 * file is one JSON document, so it is read whole, one file at a time (plus READ_AHEAD read
 * ahead): CloudTrail delivers a file every ~5 minutes per region, a few MB at most in practice,
 * and a file over MAX_JSON_FILE_BYTES uncompressed is skipped with a warning rather than read.
 * Of a gzipped one, only the records that may be the principal's are parsed (`skim`).
 * Nothing is kept across files but the list of file paths.
 */
import { createReadStream, readFile as readFileCallback } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import {
  eventTimeMs,
  wantedBy,
  type CloudTrailRecord,
  type EventQuery,
  type EventSource,
} from '../event.js';
import { SSO_ROLE_PREFIX } from '../principal.js';

/** Larger `{"Records":[…]}` files than this (uncompressed) are skipped: use `.jsonl` instead. */
export const MAX_JSON_FILE_BYTES = 256 * 1024 * 1024;

const DAY_MS = 86_400_000;
const LOG_FILE = /\.(json|jsonl)(\.gz)?$/;
/**
 * Digest files (log file integrity validation) sit beside the logs, hourly per region, under
 * `CloudTrail-Digest/` and named `…_CloudTrail-Digest_…`: hashes, not records. Read as logs,
 * each would be a "not a log file" warning, and their folders escape the date pruning.
 */
const DIGEST_FOLDER = 'CloudTrail-Digest';
const DIGEST_FILE = /_CloudTrail-Digest_/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export interface FilesProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  records: number;
}

export interface FilesSourceOptions {
  root: string;
  /** Called after each file; the CLI draws a progress bar from it on a TTY. */
  onProgress?: (progress: FilesProgress) => void;
  /** A file that could not be read or parsed: it is skipped, and the run goes on. */
  onSkip?: (file: string, reason: string) => void;
}

export function filesSource(options: FilesSourceOptions): EventSource {
  async function* batches(query: EventQuery): AsyncIterable<CloudTrailRecord[]> {
    const files = await logFiles(options.root, query);
    const progress: FilesProgress = { files: 0, totalFiles: files.length, bytes: 0, records: 0 };
    const from = query.from.getTime();
    const to = query.to.getTime();
    const regions = query.regions && new Set(['us-east-1', ...query.regions]);
    const isWanted = wantedBy(query);
    const needle = needleFor(query);
    const keep = (record: CloudTrailRecord): boolean => {
      const at = eventTimeMs(record.eventTime);
      return (
        at >= from && at <= to && (!regions || regions.has(record.awsRegion)) && isWanted(record)
      );
    };
    // A few files ahead: their reads and gunzips run on libuv's threads while this one is
    // parsed, so the parse rarely waits for a slow gunzip (one ahead left it idle ~10% of a run).
    const ahead: Promise<Loaded>[] = [];
    const readAhead = (i: number): void => {
      const file = files[i];
      if (file === undefined) return;
      const loading = load(file);
      loading.catch(() => undefined); // its failure is reported when its turn comes
      ahead.push(loading);
    };
    for (let i = 0; i < READ_AHEAD; i++) readAhead(i);
    for (const [i, file] of files.entries()) {
      const current = ahead.shift()!;
      readAhead(i + READ_AHEAD);
      try {
        const loaded = await current;
        progress.bytes += loaded.bytes;
        for await (const { records: batch, seen } of loaded.records(needle)) {
          progress.records += seen;
          const kept: CloudTrailRecord[] = [];
          for (let j = 0; j < batch.length; j++) if (keep(batch[j]!)) kept.push(batch[j]!);
          if (kept.length > 0) yield kept;
        }
      } catch (e) {
        options.onSkip?.(file, messageOf(e));
      }
      progress.files++;
      options.onProgress?.({ ...progress });
    }
  }
  return {
    name: 'files',
    batches,
    async *events(query: EventQuery): AsyncIterable<CloudTrailRecord> {
      for await (const batch of batches(query)) yield* batch;
    },
  };
}

/** Where a directory sits in the S3 delivery layout, from the path walked so far. */
interface Place {
  /** The segment after `CloudTrail`, once seen. */
  region?: string;
  /** `YYYY`, `YYYY-MM`, `YYYY-MM-DD` as the date folders are entered. */
  date?: string;
}

/**
 * Log files under `root`, sorted, with whole date and region folders pruned by their names.
 * A folder's date is when its files were delivered, minutes after the calls in them, so the
 * pruning keeps a day's margin either side and the exact bounds are applied to each record.
 */
async function logFiles(root: string, query: EventQuery): Promise<string[]> {
  const first = new Date(query.from.getTime() - DAY_MS).toISOString().slice(0, 10);
  const last = new Date(query.to.getTime() + DAY_MS).toISOString().slice(0, 10);
  const regions = query.regions && new Set(['us-east-1', ...query.regions]);
  const out: string[] = [];

  const keep = (place: Place): boolean => {
    if (place.region && regions && REGION.test(place.region) && !regions.has(place.region))
      return false;
    const date = place.date;
    if (!date) return true;
    // A prefix of a date is in range when the range's ends, cut to its length, enclose it.
    return date >= first.slice(0, date.length) && date <= last.slice(0, date.length);
  };

  async function walk(dir: string, place: Place, parent: string | undefined): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === DIGEST_FOLDER) continue;
        const next = enter(place, parent, entry.name);
        if (keep(next)) await walk(path, next, entry.name);
      } else if (entry.isFile() && LOG_FILE.test(entry.name) && !DIGEST_FILE.test(entry.name)) {
        out.push(path);
      }
    }
  }

  const top = await stat(root);
  if (top.isFile()) return [root];
  await walk(root, {}, undefined);
  return out;
}

function enter(place: Place, parent: string | undefined, name: string): Place {
  if (parent === 'CloudTrail') return { region: name };
  if (!place.region) return place;
  if (place.date === undefined && /^\d{4}$/.test(name)) return { ...place, date: name };
  if (place.date?.length === 4 && /^\d{2}$/.test(name))
    return { ...place, date: `${place.date}-${name}` };
  if (place.date?.length === 7 && /^\d{2}$/.test(name))
    return { ...place, date: `${place.date}-${name}` };
  return place;
}

/** A file read (and for `.json`, gunzipped) and ready to give its records in batches. */
interface Loaded {
  /** Size on disk. */
  bytes: number;
  /** `needle`: see `needleFor`; records without it (nor a `\\`) may be left unparsed. */
  records(needle: string | undefined): AsyncIterable<Batch>;
}

/** Some records of a file, and how many it held for them (more when some were not parsed). */
interface Batch {
  records: CloudTrailRecord[];
  seen: number;
}

const gunzipLimited = promisify(gunzip);
/**
 * Output chunk of the one-shot gunzip. zlib's default, 16 KiB, costs a callback and a copy per
 * chunk on the main thread, a third of the parse time. The file's own size, from the gzip
 * trailer (the size mod 2^32, so only a hint), within these bounds makes it one chunk.
 */
const gunzipChunk = (gz: Buffer): number =>
  gz.length < 18
    ? GUNZIP_CHUNK_MIN
    : Math.min(Math.max(gz.readUInt32LE(gz.length - 4) + 1, GUNZIP_CHUNK_MIN), GUNZIP_CHUNK_MAX);
const GUNZIP_CHUNK_MIN = 64 * 1024;
const GUNZIP_CHUNK_MAX = 16 * 1024 * 1024;
/** The callback `readFile`: its open, stat and close run in libuv, not as promise steps here. */
const readWhole = promisify(readFileCallback);
/**
 * Files read and gunzipped ahead of the one being parsed. CloudTrail files are a few MB at most
 * uncompressed, so this bounds memory at a few of them (and by MAX_JSON_FILE_BYTES each).
 */
const READ_AHEAD = 3;
/** Lines of a `.jsonl` file handed on at once: fewer async steps than one per record. */
const JSONL_BATCH = 1000;

async function load(file: string): Promise<Loaded> {
  if (/\.jsonl(\.gz)?$/.test(file)) {
    const { size } = await stat(file);
    return {
      bytes: size,
      async *records() {
        for await (const records of jsonLines(file)) yield { records, seen: records.length };
      },
    };
  }
  const raw = await readWhole(file);
  const data = file.endsWith('.gz')
    ? await gunzipLimited(raw, {
        maxOutputLength: MAX_JSON_FILE_BYTES,
        chunkSize: gunzipChunk(raw),
      }).catch((e: unknown) => {
        throw new Error(
          /larger than|maxOutputLength|ERR_BUFFER_TOO_LARGE/.test(messageOf(e))
            ? `over ${MAX_JSON_FILE_BYTES} bytes uncompressed: deliver it as .jsonl`
            : messageOf(e),
        );
      })
    : raw;
  if (data.length > MAX_JSON_FILE_BYTES)
    throw new Error(`over ${MAX_JSON_FILE_BYTES} bytes: deliver it as .jsonl`);
  return {
    bytes: raw.length,
    async *records(needle) {
      // Only gzipped files, whose checksum vouches that they are whole and as written.
      const skimmed = needle === undefined || data === raw ? undefined : skim(data, needle);
      if (skimmed) {
        yield skimmed;
        return;
      }
      const body = JSON.parse(data.toString('utf8')) as { Records?: unknown };
      if (!Array.isArray(body.Records))
        throw new Error('not a CloudTrail log file: no "Records" list');
      const records = body.Records as CloudTrailRecord[];
      yield { records, seen: records.length };
    },
  };
}

/**
 * What a record the query wants must contain, as text. A user's own calls name its ARN (in
 * `userIdentity`), calls on it its name, which the ARN contains; a role's sessions name it
 * under any path, and calls on it name it: its name. An Identity Center user's sessions are of
 * an `AWSReservedSSO_` role, in a case the text cannot know: that prefix. Undefined when every
 * record is wanted.
 */
function needleFor(query: EventQuery): string | undefined {
  const p = query.principal;
  if (!p) return undefined;
  switch (p.kind) {
    case 'user':
      return query.includeActsOn === true ? p.name : p.arn;
    case 'role':
      return p.name;
    case 'sso-user':
      return SSO_ROLE_PREFIX;
    case 'arn':
      return p.arn;
  }
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

  const records: CloudTrailRecord[] = [];
  for (let i = 0; i < starts.length; i++) {
    if (!wanted[i]) continue;
    let last = end;
    if (i + 1 < starts.length) {
      // Up to the `,` before the next record.
      last = skipSpaceBack(data, starts[i + 1]! - 1);
      if (data[last] !== 0x2c) return undefined;
    }
    try {
      records.push(JSON.parse(data.toString('utf8', starts[i], last)) as CloudTrailRecord);
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

async function* jsonLines(file: string): AsyncIterable<CloudTrailRecord[]> {
  const raw = createReadStream(file);
  // pipeline, not pipe: a read error reaches the gunzip stream and so the reader.
  const input = file.endsWith('.gz') ? pipeline(raw, createGunzip(), () => undefined) : raw;
  let batch: CloudTrailRecord[] = [];
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    batch.push(JSON.parse(line) as CloudTrailRecord);
    if (batch.length === JSONL_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Node's stream errors may come from another realm (a VM context), so no `instanceof Error`. */
const messageOf = (e: unknown): string =>
  typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : String(e);
