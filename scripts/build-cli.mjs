// Builds the installable `jit` package (packages/cli, published as `jit-access`): the CLI bundled
// by ncc into dist/ with every runtime dependency inside it, so `npm install jit-access` fetches
// one package and nothing else (docs/decisions/015-cli-package.md). Commands stay lazy chunks:
// `jit validate` never loads the AWS SDK or Octokit. The chunks are scripts loaded through V8's
// code cache by dist/code-cache.js (scripts/cli-code-cache.mjs, docs/decisions/029-start-up.md).
//
// The demo is not shipped: it needs the emulators and AGPL devDependencies. Its import is made
// external and answered by dist/demo.js, which says how to run the demo from a clone.
//
// Refuses a bundle holding any file of emulators/ or a package whose licence is not on the
// permissive allow-list of scripts/bundle-licences.mjs (so no AGPL, GPL, LGPL or unlicensed
// code), and a packages/cli/package.json that declares dependencies or whose version or
// repository differs from the root's. `--out DIR` assembles the whole package in DIR (the
// committed package.json, README.md and bin/ copied there) instead of in packages/cli.
import ncc from '@vercel/ncc';
import { createHash } from 'node:crypto';
import { copyFile, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledLicences, refusedLicences } from './bundle-licences.mjs';
import { chunkScript, codeCacheModule, loadChunksThroughCache } from './cli-chunks.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGE = join(ROOT, 'packages', 'cli');

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? resolve(args[outIndex + 1] ?? '') : PACKAGE;
if (outIndex >= 0 && args[outIndex + 1] === undefined) throw new Error('--out needs a directory');

const readJson = async (file) => JSON.parse(await readFile(file, 'utf8'));
const root = await readJson(join(ROOT, 'package.json'));
const pkg = await readJson(join(PACKAGE, 'package.json'));
if (pkg.version !== root.version)
  fail(
    `packages/cli/package.json is version ${pkg.version}, package.json ${root.version}: set both`,
  );
for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies'])
  if (pkg[field]) fail(`packages/cli/package.json declares ${field}: the bundle must hold them`);
const url = (p) => p.repository?.url?.replace(/^git\+/, '').replace(/\.git$/, '');
const repository = url(pkg);
if (!repository) fail('packages/cli/package.json names no repository.url');
if (root.repository && url(root) !== repository)
  fail(`packages/cli/package.json names ${repository}, package.json ${url(root)}: set both`);

const { code, assets, stats } = await ncc(join(ROOT, 'src', 'cli', 'main.ts'), {
  minify: true,
  sourceMap: false,
  license: 'licenses.txt',
  quiet: true,
  target: 'es2022',
  externals: { './commands/demo.js': './demo.js' },
  // No asset relocation: it rewrote runbook.ts's walk up to `runbooks/` into a path that cannot
  // exist, and only when the last build's packages/cli/runbooks was there to be found. The code
  // keeps the paths its sources compute; the data it reads is copied below.
  customEmit: () => false,
});

const CHUNK_FILE = /^\d+\.index\.js$/;
// The files source's reader threads run a module of their own (src/runbook/sources/files-pool.ts
// starts `./files-worker.js` beside the chunk that starts them): bundled apart, into dist/.
const worker = await ncc(join(ROOT, 'src', 'runbook', 'sources', 'files-worker.ts'), {
  minify: true,
  sourceMap: false,
  quiet: true,
  target: 'es2022',
  customEmit: () => false,
});
if (Object.keys(worker.assets).some((name) => name !== 'package.json'))
  fail(`the reader thread's bundle needs files beside it: ${Object.keys(worker.assets)}`);

const files = [...stats.compilation.modules, ...worker.stats.compilation.modules]
  .map((m) => m.resource)
  .filter(Boolean);
if (files.length === 0) fail('ncc reported no modules');
const leaked = files.filter((f) => relative(ROOT, f).startsWith(`emulators${sep}`));
if (leaked.length > 0) fail(`the bundle holds the emulators: ${relative(ROOT, leaked[0])}`);
const licences = await bundledLicences(files);
const refused = refusedLicences(licences);
if (refused.length > 0)
  fail(`bundled packages the MIT package may not hold: ${refused.map(show).join(', ')}`);

if (out !== PACKAGE) {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  for (const f of ['package.json', 'README.md']) await copyFile(join(PACKAGE, f), join(out, f));
  await cp(join(PACKAGE, 'bin'), join(out, 'bin'), { recursive: true });
}
const chunkHashes = {};
for (const [name, asset] of Object.entries(assets)) {
  if (!CHUNK_FILE.test(name)) continue;
  asset.source = orFail(() => chunkScript(String(asset.source), name));
  chunkHashes[name] = createHash('sha256').update(asset.source).digest('hex');
}
if (Object.keys(chunkHashes).length === 0) fail('ncc emitted no chunks');
const dist = join(out, 'dist');
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await writeFile(
  join(dist, 'index.js'),
  orFail(() => loadChunksThroughCache(code)),
);
await writeFile(join(dist, 'files-worker.js'), worker.code);
for (const [name, asset] of Object.entries(assets)) {
  await mkdir(dirname(join(dist, name)), { recursive: true });
  await writeFile(join(dist, name), asset.source);
}
await writeFile(
  join(dist, 'code-cache.js'),
  orFail(() => codeCacheModule(chunkHashes)),
);
await writeFile(join(dist, 'demo.js'), demoStub(repository));
// Data read at run time: runbook.ts finds `runbooks/` by walking up from its module (dist/);
// the schemas are for editors (yaml-language-server), validation is compiled into the bundle.
await copyData('runbooks', (f) => f.endsWith('.yaml'));
await copyData('schemas', (f) => f.endsWith('.schema.json'));
await copyFile(join(ROOT, 'LICENSE'), join(out, 'LICENSE'));

const counts = new Map();
for (const licence of licences.values()) counts.set(licence, (counts.get(licence) ?? 0) + 1);
console.log(
  `${relative(ROOT, out) || '.'}: dist/index.js ${code.length} bytes, ` +
    `${Object.keys(assets).length} more files; ${licences.size} bundled packages: ` +
    [...counts].map(([l, n]) => `${l} ${n}`).join(', '),
);

async function copyData(dir, keep) {
  await rm(join(out, dir), { recursive: true, force: true });
  await mkdir(join(out, dir), { recursive: true });
  for (const f of (await readdir(join(ROOT, dir))).filter(keep))
    await copyFile(join(ROOT, dir, f), join(out, dir, f));
}

function demoStub(url) {
  const steps = `  git clone ${url}\n  cd ${url.split('/').pop()} && npm ci && npx jit demo\n`;
  return `// Written by scripts/build-cli.mjs: the installed package does not ship the demo, which
// needs the emulators and the repository's devDependencies.
export async function demoCommand(_args, io) {
  io.stderr(${JSON.stringify(`jit demo runs from a clone of the jit-access repository (it starts local AWS and GitHub emulators):\n`)} + ${JSON.stringify(steps)});
  return 2;
}
`;
}

function show([id, licence]) {
  return `${id} (${licence || 'no licence'})`;
}

function orFail(make) {
  try {
    return make();
  } catch (e) {
    fail(e.message);
  }
}

function fail(message) {
  console.error(`build-cli: ${message}`);
  process.exit(1);
}
