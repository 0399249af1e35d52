/**
 * A jest test environment for measuring, not for everyday runs: it appends each test file's CPU
 * seconds to the file named by CPU_LOG, one line a file:
 *
 *   path  user  system  children-user  children-system  wall  load-average
 *
 * read from /proc/self/stat (Linux) around the file, so the children are every process the
 * worker reaped meanwhile (the built actions, npm, chromium). CPU, unlike wall time, hardly
 * depends on what else the machine runs (docs/decisions/028-test-suite-time.md):
 *
 *   CPU_LOG=/tmp/cpu.log npm test -- --testEnvironment=./scripts/cpu-per-file-environment.mjs
 *   sort -k2 -rn /tmp/cpu.log | head
 */
import { TestEnvironment } from 'jest-environment-node';
import { appendFileSync, readFileSync } from 'node:fs';

/** utime, stime, cutime, cstime in clock ticks: fields 14–17 of proc(5)'s stat. */
function ticks() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return [11, 12, 13, 14].map((i) => Number(fields[i]));
}

export default class CpuPerFileEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.file = context.testPath.replace(`${process.cwd()}/`, '');
  }

  async setup() {
    this.start = { ticks: ticks(), wall: Date.now() };
    await super.setup();
  }

  async teardown() {
    await super.teardown();
    if (!process.env.CPU_LOG) return;
    // Linux counts in USER_HZ, 100 a second on every common configuration.
    const seconds = ticks().map((t, i) => ((t - this.start.ticks[i]) / 100).toFixed(2));
    const wall = ((Date.now() - this.start.wall) / 1000).toFixed(1);
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    appendFileSync(process.env.CPU_LOG, `${this.file} ${seconds.join(' ')} ${wall} ${load}\n`);
  }
}
