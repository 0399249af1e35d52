/**
 * CloudTrail log files as an event source: the tree CloudTrail delivers to S3
 * (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz`, also under an org id or a
 * bucket prefix), or any directory of `.json` (`{"Records":[…]}`) and `.jsonl` files, gzipped
 * or not.
 *
 * Memory: `.jsonl` is streamed a line at a time (gunzip stream, readline). A `{"Records":[…]}`
 * file is one JSON document, so it is parsed whole, one file at a time (plus the next one read
 * ahead): CloudTrail delivers a file every ~5 minutes per region, a few MB at most in practice,
 * and a file over MAX_JSON_FILE_BYTES uncompressed is skipped with a warning rather than read.
 * Nothing is kept across files but the list of file paths.
 */
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { wanted, type CloudTrailRecord, type EventQuery, type EventSource } from '../event.js';

/** Larger `{"Records":[…]}` files than this (uncompressed) are skipped: use `.jsonl` instead. */
export const MAX_JSON_FILE_BYTES = 256 * 1024 * 1024;

const DAY_MS = 86_400_000;
const LOG_FILE = /\.(json|jsonl)(\.gz)?$/;
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
    const keep = (record: CloudTrailRecord): boolean => {
      const at = Date.parse(record.eventTime);
      return (
        at >= from &&
        at <= to &&
        (!regions || regions.has(record.awsRegion)) &&
        wanted(record, query)
      );
    };
    // One file ahead: its read and gunzip run on libuv's threads while this one is parsed.
    let ahead = files[0] === undefined ? undefined : load(files[0]);
    for (const [i, file] of files.entries()) {
      const current = ahead!;
      ahead = files[i + 1] === undefined ? undefined : load(files[i + 1]!);
      ahead?.catch(() => undefined); // its failure is reported when its turn comes
      try {
        const loaded = await current;
        progress.bytes += loaded.bytes;
        for await (const batch of loaded.records()) {
          progress.records += batch.length;
          const kept = batch.filter(keep);
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
        const next = enter(place, parent, entry.name);
        if (keep(next)) await walk(path, next, entry.name);
      } else if (entry.isFile() && LOG_FILE.test(entry.name)) {
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
  records(): AsyncIterable<CloudTrailRecord[]>;
}

const gunzipLimited = promisify(gunzip);
/**
 * Output chunk of the one-shot gunzip. zlib's default, 16 KiB, costs a callback and a copy per
 * chunk on the main thread, a third of the parse time; 1 MiB makes that negligible.
 */
const GUNZIP_CHUNK = 1024 * 1024;
/** Lines of a `.jsonl` file handed on at once: fewer async steps than one per record. */
const JSONL_BATCH = 1000;

async function load(file: string): Promise<Loaded> {
  if (/\.jsonl(\.gz)?$/.test(file)) {
    const { size } = await stat(file);
    return { bytes: size, records: () => jsonLines(file) };
  }
  const raw = await readFile(file);
  const text = file.endsWith('.gz')
    ? await gunzipLimited(raw, {
        maxOutputLength: MAX_JSON_FILE_BYTES,
        chunkSize: GUNZIP_CHUNK,
      }).catch((e: unknown) => {
        throw new Error(
          /larger than|maxOutputLength|ERR_BUFFER_TOO_LARGE/.test(messageOf(e))
            ? `over ${MAX_JSON_FILE_BYTES} bytes uncompressed: deliver it as .jsonl`
            : messageOf(e),
        );
      })
    : raw;
  if (text.length > MAX_JSON_FILE_BYTES)
    throw new Error(`over ${MAX_JSON_FILE_BYTES} bytes: deliver it as .jsonl`);
  return {
    bytes: raw.length,
    async *records() {
      const body = JSON.parse(text.toString('utf8')) as { Records?: unknown };
      if (!Array.isArray(body.Records))
        throw new Error('not a CloudTrail log file: no "Records" list');
      yield body.Records as CloudTrailRecord[];
    },
  };
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
