#!/usr/bin/env node
// The `jit` command of the published package: dist/ is built by scripts/build-cli.mjs.
import { main } from '../dist/index.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
});
