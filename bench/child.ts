/**
 * Child processes timed from outside, for start-up and memory figures: wall time, the child's
 * own CPU time and peak resident memory (`process.resourceUsage()`, written by a preloaded hook
 * to fd 3 as the child exits), and min/median/max over rounds. Rounds are interleaved (every
 * subject once per round), so load that comes and goes hits each subject alike.
 */
import { spawnSync } from 'node:child_process';

/** Preloaded into every child: its resource usage, on fd 3, at exit. */
const RUSAGE_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    "import { writeSync } from 'node:fs';" +
      "process.on('exit', () => { try { writeSync(3, JSON.stringify(process.resourceUsage())); } catch {} });",
  );

export interface ChildRun {
  wallMs: number;
  cpuMs: number;
  maxRssMB: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface Subject {
  name: string;
  /** Arguments to `node` (the hook is added before them). */
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Exit statuses that count as a run (default 0 only). */
  okStatus?: number[];
}

export function runNode(subject: Subject): ChildRun {
  const started = process.hrtime.bigint();
  const out = spawnSync(process.execPath, ['--import', RUSAGE_HOOK, ...subject.args], {
    cwd: subject.cwd,
    env: subject.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    maxBuffer: 1 << 28,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const usage = JSON.parse(out.output[3]?.toString() || 'null') as NodeJS.ResourceUsage | null;
  const run = {
    wallMs,
    cpuMs: usage ? (usage.userCPUTime + usage.systemCPUTime) / 1000 : NaN,
    maxRssMB: usage ? usage.maxRSS / 1024 : NaN,
    status: out.status,
    stdout: out.stdout?.toString() ?? '',
    stderr: out.stderr?.toString() ?? '',
  };
  if (!(subject.okStatus ?? [0]).includes(out.status ?? -1))
    throw new Error(
      `${subject.name}: exit ${out.status}: ${run.stderr.slice(0, 2000) || run.stdout.slice(0, 2000)}`,
    );
  return run;
}

/** Every subject once per round, `rounds` times, after one unrecorded warm-up round. */
export function interleaved(subjects: Subject[], rounds: number): Map<string, ChildRun[]> {
  const runs = new Map<string, ChildRun[]>(subjects.map((s) => [s.name, []]));
  for (const s of subjects) runNode(s); // warm the file cache
  for (let r = 0; r < rounds; r++) for (const s of subjects) runs.get(s.name)!.push(runNode(s));
  return runs;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted.at(-1)! };
}

export const show = (s: Spread, digits = 0, unit = ''): string =>
  `${s.min.toFixed(digits)}/${s.median.toFixed(digits)}/${s.max.toFixed(digits)}${unit}`;

/** Each round's ratio of a subject to the baseline of the same round. */
export const ratios = (subject: ChildRun[], baseline: ChildRun[], pick: (r: ChildRun) => number) =>
  spread(subject.map((r, i) => pick(r) / pick(baseline[i]!)));

/** A markdown table, columns padded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
