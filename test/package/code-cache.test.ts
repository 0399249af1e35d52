import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkScript, codeCacheModule, loadChunksThroughCache } from '../../scripts/cli-chunks.mjs';

// The installed CLI loads its chunks through dist/code-cache.js (docs/decisions/029-start-up.md).
// Here one chunk, made by the build's own functions, is loaded by that module in fresh processes
// with a cache directory of the test's.

/** An ES module chunk as ncc emits it: a module that reports its strictness and import.meta.url. */
const CHUNK = `export const id = 1;
export const ids = [1];
export const modules = {
/***/ 7:
/***/ ((module) => {
module.exports = { strict: (function () { return this === undefined; })(), url: import.meta.url };
/***/ })
};
`;

let root: string;
let cacheHome: string;
let hash: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'jit-code-cache-'));
  cacheHome = join(root, 'cache');
  await mkdir(join(root, 'dist'));
  const script = chunkScript(CHUNK, '1.index.js');
  hash = createHash('sha256').update(script).digest('hex');
  await writeFile(join(root, 'dist', '1.index.js'), script);
  await writeFile(join(root, 'dist', 'code-cache.js'), codeCacheModule({ '1.index.js': hash }));
  await writeFile(join(root, 'dist', 'package.json'), '{"type":"module"}');
  await writeFile(
    join(root, 'run.mjs'),
    `import { loadChunk } from './dist/code-cache.js';
const chunk = await loadChunk('1.index.js');
const module = {};
chunk.modules[7](module);
console.log(JSON.stringify({ id: chunk.id, ids: chunk.ids, ...module.exports }));`,
  );
});

afterEach(() => rm(root, { recursive: true, force: true }));

function load(env: NodeJS.ProcessEnv = {}): Promise<{ id: number; strict: boolean; url: string }> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['run.mjs'],
      {
        cwd: root,
        env: { ...process.env, XDG_CACHE_HOME: cacheHome, NODE_DISABLE_COMPILE_CACHE: '', ...env },
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  );
}

async function cacheFile(): Promise<string | undefined> {
  const dir = join(cacheHome, 'jit-access');
  const versions = await readdir(dir).catch(() => []);
  return versions.length === 0 ? undefined : join(dir, versions[0]!, `${hash}.bin`);
}

test('a chunk runs as the ES module it was: strict, with its own import.meta.url', async () => {
  const loaded = await load();
  expect(loaded).toEqual({
    id: 1,
    ids: [1],
    strict: true,
    url: `file://${join(root, 'dist', '1.index.js')}`,
  });
});

test('the first run writes the cache, the next accepts it and leaves it as it is', async () => {
  await load();
  const file = await cacheFile();
  expect(file).toBeDefined();
  const first = await stat(file!);
  expect(first.size).toBeGreaterThan(0);
  expect(first.mode & 0o077).toBe(0);
  await load();
  // A rejected or missing cache is written anew (a new file renamed over the old).
  expect((await stat(file!)).ino).toBe(first.ino);
});

test('a damaged cache is rejected silently and replaced', async () => {
  await load();
  const file = (await cacheFile())!;
  await writeFile(file, 'not a code cache');
  const before = await stat(file);
  expect((await load()).strict).toBe(true);
  const after = await stat(file);
  expect(after.ino).not.toBe(before.ino);
  expect(after.size).not.toBe(before.size);
});

test('a cache directory others may write to is not used', async () => {
  await mkdir(join(cacheHome, 'jit-access'), { recursive: true });
  await chmod(join(cacheHome, 'jit-access'), 0o777);
  expect((await load()).strict).toBe(true);
  expect(await readdir(join(cacheHome, 'jit-access'))).toEqual([]);
});

test('NODE_DISABLE_COMPILE_CACHE turns the cache off', async () => {
  expect((await load({ NODE_DISABLE_COMPILE_CACHE: '1' })).strict).toBe(true);
  expect(await cacheFile()).toBeUndefined();
});

test('the build refuses a chunk a script cannot hold, and an entry it cannot rewire', () => {
  expect(() => chunkScript(CHUNK.replace('import.meta.url', 'import("x")'), 'a.js')).toThrow(
    /imports a module at run time/,
  );
  expect(() => chunkScript(`${CHUNK}export default 1;\n`, 'b.js')).toThrow(/does not compile/);
  expect(() => chunkScript('export const modules = {};', 'c.js')).toThrow(/not a webpack chunk/);
  expect(() => loadChunksThroughCache('import("./x.js")')).toThrow(/in 0 places/);
  expect(loadChunksThroughCache('a=import("./"+__nccwpck_require__.u(r)).then(f)')).toBe(
    'import{loadChunk as __jitLoadChunk}from"./code-cache.js";' +
      'a=__jitLoadChunk(__nccwpck_require__.u(r)).then(f)',
  );
});
