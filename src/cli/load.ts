import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { JitConfig } from '../domain.js';
import { fail, ok, type Result } from '../problem.js';
import { decodeUtf8 } from '../text/decode.js';
import type { CliIo } from './io.js';

export const CONFIG_FILE = 'jit.config.yaml';

/**
 * A file's text, or a problem naming it: a missing file is the user's error, not a crash, and
 * bytes that are not UTF-8 are refused where they are (src/text/decode.ts), never replaced.
 */
export async function readText(
  io: CliIo,
  path: string,
): Promise<Result<{ file: string; text: string }>> {
  const file = displayPath(io, path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(resolve(io.cwd, path));
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(e);
    return fail([{ path: '', file, severity: 'error', message: `cannot read ${file}: ${reason}` }]);
  }
  const text = decodeUtf8(bytes);
  if (!text.ok) return fail(text.problems.map((p) => ({ ...p, file })));
  return { ok: true, value: { file, text: text.value } };
}

/**
 * The config to read: `--config` as given, else the nearest jit.config.yaml in the working
 * directory or above it, as git finds its repository, so any subdirectory of the access
 * repository works. The path is as displayed, relative to the working directory.
 */
export function findConfig(io: CliIo, explicit: string | undefined): Result<string> {
  if (explicit !== undefined) return ok(explicit);
  const start = resolve(io.cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return ok(displayPath(io, candidate));
    if (dirname(dir) === dir) break;
  }
  return fail([
    {
      path: '',
      file: CONFIG_FILE,
      severity: 'error',
      message: `no ${CONFIG_FILE} in ${start} or any directory above it: run jit from the access repository, or name the file with --config PATH`,
    },
  ]);
}

export interface LoadedConfig {
  config: JitConfig;
  /** The file it was read from, relative to the working directory. */
  file: string;
}

/**
 * The organisation's config, found as findConfig does. When it comes from a parent directory,
 * one line on stderr says which: a config from elsewhere than expected should not be silent,
 * and stdout (a plan, JSON) stays as it was.
 */
export async function loadConfig(
  io: CliIo,
  explicit: string | undefined,
): Promise<Result<LoadedConfig>> {
  const path = findConfig(io, explicit);
  if (!path.ok) return path;
  const file = path.value;
  if (explicit === undefined && file !== CONFIG_FILE) io.stderr(`jit: using ${file}\n`);
  const read = await readText(io, file);
  if (!read.ok) return read;
  // The parser (and its schema validator) is loaded on first use: `jit runbook` reads a config
  // only for --account.
  const { parseConfig } = await import('../request/parse-config.js');
  const config = parseConfig(read.value.text, read.value.file);
  return config.ok ? ok({ config: config.value, file: read.value.file }) : config;
}

/** Paths as the user wrote them relative to the repository, the form annotations need. */
const displayPath = (io: CliIo, path: string): string =>
  relative(io.cwd, resolve(io.cwd, path)).split('\\').join('/');
