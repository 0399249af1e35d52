// Bundles each action's src/main.ts into actions/<name>/dist/index.js with ncc, and refuses a
// bundle that contains AGPL code (the @cloud-copilot simulate/expand/policy/utils packages).
// Minified: a runner loads ~40% less code, and bench/action-load.ts measured each action
// starting in ~20% less CPU (docs/decisions/011-speed.md). `--out DIR` writes DIR/<name>/dist
// instead and `--no-minify` does not minify, for comparing bundle shapes with that bench
// without touching the committed dist/.
import ncc from '@vercel/ncc';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { existsSync } from 'node:fs';

const AGPL = /@cloud-copilot[\\/](iam-simulate|iam-expand|iam-policy|iam-utils)/;
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outRoot = outIndex >= 0 ? args[outIndex + 1] : 'actions';
if (outRoot === undefined) throw new Error('--out needs a directory');
const minify = !args.includes('--no-minify');
const only = args.filter((a, i) => !a.startsWith('--') && (outIndex < 0 || i !== outIndex + 1));
// An action is a directory with an action.yml; actions/shared holds code the adapters share.
const actions = (await readdir('actions'))
  .filter((a) => existsSync(join('actions', a, 'action.yml')))
  .filter((a) => only.length === 0 || only.includes(a));

for (const action of actions) {
  const { code, assets, stats } = await ncc(
    join(process.cwd(), 'actions', action, 'src', 'main.ts'),
    {
      minify,
      sourceMap: false,
      license: 'licenses.txt',
      quiet: true,
      target: 'es2022',
    },
  );
  // Judged on the files webpack bundled: a minified bundle names no module paths.
  const bundled = [...stats.compilation.modules].map((m) => m.resource ?? '');
  if (bundled.length === 0) throw new Error(`actions/${action}: ncc reported no modules`);
  if (AGPL.test(code) || bundled.some((file) => AGPL.test(file)))
    throw new Error(`actions/${action}: bundle contains an AGPL package`);
  const out = join(outRoot, action, 'dist');
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'index.js'), code);
  for (const [name, asset] of Object.entries(assets)) {
    await mkdir(join(out, name, '..'), { recursive: true });
    await writeFile(join(out, name), asset.source);
  }
  console.log(`${out}/index.js: ${code.length} bytes`);
}
