import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { JitConfig } from '../domain.js';
import { fail, type Result } from '../problem.js';
import type { CliIo } from './io.js';

/** A file's text, or a problem naming it: a missing file is the user's error, not a crash. */
export async function readText(
  io: CliIo,
  path: string,
): Promise<Result<{ file: string; text: string }>> {
  const file = displayPath(io, path);
  try {
    return { ok: true, value: { file, text: await readFile(resolve(io.cwd, path), 'utf8') } };
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(e);
    return fail([{ path: '', file, severity: 'error', message: `cannot read ${file}: ${reason}` }]);
  }
}

/**
 * The config, its parser (and schema validator) loaded on first use: `jit runbook` reads a
 * config only for `--account`, and loads no more than its own command's modules otherwise.
 */
export async function loadConfig(io: CliIo, path: string): Promise<Result<JitConfig>> {
  const read = await readText(io, path);
  if (!read.ok) return read;
  const { parseConfig } = await import('../request/parse-config.js');
  return parseConfig(read.value.text, read.value.file);
}

/** Paths as the user wrote them relative to the repository, the form annotations need. */
const displayPath = (io: CliIo, path: string): string =>
  relative(io.cwd, resolve(io.cwd, path)).split('\\').join('/');
