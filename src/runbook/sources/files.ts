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
import { createReadStream, existsSync, readFile as readFileCallback } from 'node:fs';
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
import { readerEntry, readerPool, ReaderThreadFailed, type ReaderPool } from './files-pool.js';
import {
  gunzipChunk,
  gunzipFailure,
  MAX_JSON_FILE_BYTES,
  messageOf,
  recordsOf,
} from './files-read.js';

export { MAX_JSON_FILE_BYTES };

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
  /**
   * Threads reading `.json` and `.json.gz` files (`.jsonl` is streamed on the main thread):
   * 1 reads every file on the main thread, with gunzip on libuv's; more start reader threads.
   * The records, and so the report, are the same for any number. Default 1: on the 2-core
   * machine measured, threads cost more CPU than they saved (docs/decisions/030-…).
   */
  threads?: number;
  /** The reader threads' module (default `readerEntry()`), for tests run from the sources. */
  readerEntry?: URL;
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
    // Run from the TypeScript sources (tests), the threads' module is not there to start.
    const entry = options.readerEntry ?? readerEntry();
    const threads = existsSync(entry) ? (options.threads ?? 1) : 1;
    const pool = threads > 1 ? readerPool(threads, needle, entry) : undefined;
    // Files ahead of the one being used: on one thread their reads and gunzips run on libuv's
    // threads while this one is parsed (one ahead left the parse idle ~10% of a run); reader
    // threads are each kept a few files ahead. Memory: READ_AHEAD files whole, or the threads'
    // one file each and the answers waiting (the records that may be wanted, a few per cent).
    const readAhead = pool ? threads * POOL_AHEAD_PER_THREAD : READ_AHEAD;
    const ahead: Promise<Loaded>[] = [];
    const startReading = (i: number): void => {
      const file = files[i];
      if (file === undefined) return;
      const loading = pool && !isJsonLines(file) ? loadOn(pool, file) : load(file);
      loading.catch(() => undefined); // its failure is reported when its turn comes
      ahead.push(loading);
    };
    try {
      for (let i = 0; i < readAhead; i++) startReading(i);
      for (const [i, file] of files.entries()) {
        const current = ahead.shift()!;
        startReading(i + readAhead);
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
          if (e instanceof ReaderThreadFailed) throw e;
          options.onSkip?.(file, messageOf(e));
        }
        progress.files++;
        options.onProgress?.({ ...progress });
      }
    } finally {
      await pool?.close();
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
/** The callback `readFile`: its open, stat and close run in libuv, not as promise steps here. */
const readWhole = promisify(readFileCallback);
/**
 * Files read and gunzipped ahead of the one being parsed. CloudTrail files are a few MB at most
 * uncompressed, so this bounds memory at a few of them (and by MAX_JSON_FILE_BYTES each).
 */
const READ_AHEAD = 3;
/** Files queued per reader thread: only their wanted records wait, so more is cheap. */
const POOL_AHEAD_PER_THREAD = 4;
/** Lines of a `.jsonl` file handed on at once: fewer async steps than one per record. */
const JSONL_BATCH = 1000;

async function load(file: string): Promise<Loaded> {
  if (isJsonLines(file)) {
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
        throw gunzipFailure(e);
      })
    : raw;
  return {
    bytes: raw.length,
    async *records(needle) {
      yield recordsOf(raw, data, needle) as Batch;
    },
  };
}

/** A file a reader thread reads (whole, then skimmed), as `load` gives it. */
async function loadOn(pool: ReaderPool, file: string): Promise<Loaded> {
  const read = await pool.read(file);
  return {
    bytes: read.bytes,
    async *records() {
      yield read as Batch;
    },
  };
}

const isJsonLines = (file: string): boolean => /\.jsonl(\.gz)?$/.test(file);

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
