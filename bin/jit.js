#!/usr/bin/env node
// The `jit` command. `npm ci` compiles the TypeScript sources to lib/ (the prepare script).
import { main } from '../lib/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
});
