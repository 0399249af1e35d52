// Copied by scripts/build-cli.mjs into the package as dist/code-cache.js: it loads the bundle's
// chunks with V8's code cache (docs/decisions/029-start-up.md). Node 20 caches no compiled ES
// module, so every `jit` start parsed and compiled ~1.5 MB of chunks again. The build turns each
// chunk into a script, `(function (exports, importMetaUrl) { … })`, and this module compiles it
// with `vm.Script`, handing V8 the cache the last run left, and after a run that had no usable
// cache writes one, with the functions that run compiled, for the next.
//
// The cache is a user's own: `$XDG_CACHE_HOME/jit-access` or `~/.cache/jit-access`, used only when
// that directory belongs to the user and nobody else may write to it, because V8 trusts a cache
// it accepts. A cache file is named after the chunk's SHA-256 (computed by the build), so a
// rebuilt chunk never meets another's cache, and its directory after V8's version and the
// architecture; V8 rejects a cache made with other flags, and the next run replaces it.
// Anything that goes wrong (no home, a read-only disk, a rejected cache) costs only the cache:
// the chunk is compiled from source as before. NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it
// does Node 22's own module cache.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/** Chunk file name → SHA-256 of its text: replaced by the build. */
const CHUNKS = /* CHUNK HASHES */ {};

const DIST = fileURLToPath(new URL('.', import.meta.url));

/** Scripts compiled without a usable cache, and where their cache goes, written at exit. */
const unsaved = [];

/** `{ id, ids, modules }` of one chunk, as webpack's runtime expects from `import()`. */
export async function loadChunk(file) {
  const path = join(DIST, file);
  const url = pathToFileURL(path).href;
  const source = readFileSync(path, 'utf8');
  const cacheFile = cacheFileOf(file);
  const cachedData = cacheFile && readOrUndefined(cacheFile);
  const script = new Script(source, { filename: url, cachedData });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected))
    unsaved.push({ script, cacheFile });
  const exports = {};
  script.runInThisContext()(exports, url);
  return exports;
}

process.once('exit', () => {
  for (const { script, cacheFile } of unsaved) {
    try {
      mkdirSync(join(cacheFile, '..'), { recursive: true, mode: 0o700 });
      const temporary = `${cacheFile}.${process.pid}`;
      writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      renameSync(temporary, cacheFile);
    } catch {
      // No cache this time; the next run compiles from source again.
    }
  }
});

function cacheFileOf(file) {
  const hash = Object.hasOwn(CHUNKS, file) ? CHUNKS[file] : undefined;
  const root = cacheRoot();
  if (hash === undefined || root === undefined) return undefined;
  return join(root, `v8-${process.versions.v8}-${process.arch}`, `${hash}.bin`);
}

let root;
/** The user's cache directory for jit-access, or undefined when there is none it may trust. */
function cacheRoot() {
  if (root !== undefined) return root || undefined;
  root = '';
  const disabled = process.env.NODE_DISABLE_COMPILE_CACHE;
  if ((disabled !== undefined && disabled !== '' && disabled !== '0') || !process.getuid)
    return undefined;
  try {
    const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
    const dir = join(base, 'jit-access');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A directory another user can write to could hold a cache V8 would run as our code.
    const { uid, mode } = statSync(dir);
    if (uid === process.getuid() && (mode & 0o022) === 0) root = dir;
  } catch {
    // No home or a read-only one: no cache.
  }
  return root || undefined;
}

function readOrUndefined(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
