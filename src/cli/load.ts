import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { JitConfig } from '../domain.js';
import { fail, type Result } from '../problem.js';
import { parseConfig } from '../request/parse-config.js';
import { decodeUtf8 } from '../text/decode.js';
import type { CliIo } from './io.js';

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

export async function loadConfig(io: CliIo, path: string): Promise<Result<JitConfig>> {
  const read = await readText(io, path);
  if (!read.ok) return read;
  return parseConfig(read.value.text, read.value.file);
}

/** Paths as the user wrote them relative to the repository, the form annotations need. */
const displayPath = (io: CliIo, path: string): string =>
  relative(io.cwd, resolve(io.cwd, path)).split('\\').join('/');
