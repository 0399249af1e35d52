// The build's side of dist/code-cache.js (scripts/cli-code-cache.mjs): each chunk ncc emits is
// turned into a script that module can compile with V8's code cache, the entry's `import()` of a
// chunk into a call of its loader, and the loader given each chunk's SHA-256. Each throws when
// the bundle is not the shape it expects, so the build fails instead of shipping a CLI that
// cannot load a command (docs/decisions/029-start-up.md).
import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';

const TEMPLATE = new URL('./cli-code-cache.mjs', import.meta.url);

/**
 * An ES module chunk (`export const id = …; export const ids = …; export const modules = …;`) as
 * a script for dist/code-cache.js: a strict function of `exports` and the chunk's URL, on the
 * chunk's first line so stack traces keep their line numbers. Anything else a module may hold
 * and a script may not (`import.meta` left, `export`, `import(…)`) refuses the build.
 */
export function chunkScript(text, name) {
  const EXPORT = /^export const (id|ids|modules) = /gm;
  const names = [...text.matchAll(EXPORT)].map((m) => m[1]).sort();
  if (names.join() !== 'id,ids,modules')
    throw new Error(`${name} is not a webpack chunk (exports ${names.join(', ') || 'nothing'})`);
  const body = text.replace(EXPORT, 'exports.$1 = ').replaceAll('import.meta.url', 'importMetaUrl');
  if (/\bimport\s*\(/.test(body.replaceAll('/* import() */', '')))
    throw new Error(`${name} imports a module at run time, which a script loaded by vm cannot`);
  const script = `(function (exports, importMetaUrl) { "use strict"; ${body}\n})`;
  try {
    new Script(script, { filename: name });
  } catch (e) {
    throw new Error(`${name} does not compile as a script: ${e.message}`, { cause: e });
  }
  return script;
}

/** The entry with webpack's `import()` of a chunk replaced by dist/code-cache.js's loader. */
export function loadChunksThroughCache(entry) {
  const IMPORT_CHUNK = /\bimport\("\.\/"\+(__nccwpck_require__\.u\(\w+\))\)/g;
  const found = entry.match(IMPORT_CHUNK)?.length ?? 0;
  if (found !== 1)
    throw new Error(
      `the entry imports chunks in ${found} places, not 1: update loadChunksThroughCache`,
    );
  return (
    'import{loadChunk as __jitLoadChunk}from"./code-cache.js";' +
    entry.replace(IMPORT_CHUNK, '__jitLoadChunk($1)')
  );
}

export function codeCacheModule(hashes) {
  const MARK = '/* CHUNK HASHES */ {}';
  const template = readFileSync(TEMPLATE, 'utf8');
  if (!template.includes(MARK)) throw new Error(`scripts/cli-code-cache.mjs lost its ${MARK} line`);
  return template.replace(MARK, JSON.stringify(hashes));
}
