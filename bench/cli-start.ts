/**
 * Fixed start-up of the CLI, each a fresh process: `jit validate` of one request file, and
 * `jit runbook --source files:` of an empty trail (everything but reading records), against
 * `node -e ''` in the same interleaved rounds. Each runs from the repository (bin/jit.js, the
 * compiled lib/) and, when packages/cli/dist is built (`npm run build:cli`), from the published
 * package's bundle (packages/cli/bin/jit.js), with its code cache (in a fresh cache directory,
 * written by the unrecorded warm-up round) and without it. Run from the repository root:
 *
 *   npx tsc -p bench/tsconfig.json && node lib/bench/cli-start.js
 *
 * ROUNDS (default 15) sets the rounds; JIT_BENCH_COMPARE=DIR adds the same commands run from
 * another checkout with its own lib/ (and packages/cli/dist, if built), for before/after figures
 * from one run. INSTRUCTIONS=1 also runs each subject once under `valgrind --tool=callgrind` and
 * prints the instructions it executed (all threads), which the machine's load does not change.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { interleaved, ratios, show, spread, table, type ChildRun, type Subject } from './child.js';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const COMPARE = process.env.JIT_BENCH_COMPARE;
const INSTRUCTIONS = process.env.INSTRUCTIONS === '1';
/** Issue 10 and issue 12: on an idle 2-core machine. */
const GOAL_MS = 300;

const empty = mkdtempSync(join(tmpdir(), 'jit-empty-trail-'));
const cache = mkdtempSync(join(tmpdir(), 'jit-bench-cache-'));
const withCache = { ...process.env, XDG_CACHE_HOME: cache, NODE_DISABLE_COMPILE_CACHE: '' };
const noCache = { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' };

const entries = (root: string, label: string): Subject[] => [
  ...commands(root, 'bin/jit.js', label, process.env),
  ...(existsSync(join(root, 'packages/cli/dist/index.js'))
    ? [
        ...commands(root, 'packages/cli/bin/jit.js', `${label} [package]`, withCache),
        ...commands(root, 'packages/cli/bin/jit.js', `${label} [package, no cache]`, noCache),
      ]
    : []),
];

const commands = (root: string, bin: string, label: string, env: NodeJS.ProcessEnv): Subject[] => [
  {
    name: `jit validate (1 file)${label}`,
    cwd: root,
    env,
    args: [bin, 'validate', 'requests/example-profile.yaml'],
  },
  {
    name: `jit runbook --source files: (empty)${label}`,
    cwd: root,
    env,
    args: [
      bin,
      'runbook',
      '--source',
      `files:${empty}`,
      '--principal',
      'arn:aws:iam::123456789012:user/alice',
      '--at',
      '2026-04-01T00:00:00Z',
    ],
  },
];

const baseline: Subject = { name: "node -e ''", args: ['-e', ''] };
const subjects = [
  baseline,
  ...entries(process.cwd(), ''),
  ...(COMPARE ? entries(resolve(COMPARE), ` [${COMPARE}]`) : []),
];

/** Instructions one run executes, all threads, counted by callgrind. */
function instructions(subject: Subject): number {
  const dir = mkdtempSync(join(tmpdir(), 'jit-callgrind-'));
  try {
    const out = spawnSync(
      'valgrind',
      ['--tool=callgrind', `--callgrind-out-file=${join(dir, 'out')}`, 'node', ...subject.args],
      { cwd: subject.cwd, env: subject.env ?? process.env, stdio: 'ignore' },
    );
    if (out.error) throw out.error;
    return readdirSync(dir)
      .map((f) => /^summary: (\d+)/m.exec(readFileSync(join(dir, f), 'utf8')))
      .reduce((n, m) => n + Number(m?.[1] ?? 0), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  const runs = interleaved(subjects, ROUNDS);
  const base = runs.get(baseline.name)!;
  const rows = subjects.map((s) => {
    const r = runs.get(s.name)!;
    const pick = (f: (x: ChildRun) => number) => spread(r.map(f));
    const wall = pick((x) => x.wallMs);
    const cpu = pick((x) => x.cpuMs);
    return [
      s.name,
      show(wall, 0, ' ms'),
      show(cpu, 0, ' ms'),
      s === baseline
        ? '1'
        : show(
            ratios(r, base, (x) => x.wallMs),
            2,
            '×',
          ),
      s === baseline ? '–' : show(spread(r.map((x, i) => x.wallMs - base[i]!.wallMs)), 0, ' ms'),
      show(
        pick((x) => x.maxRssMB),
        0,
        ' MB',
      ),
      s === baseline ? '' : cpu.median <= GOAL_MS && wall.median <= GOAL_MS ? 'met' : 'not met',
    ];
  });
  console.log(
    `CLI start-up, ${ROUNDS} interleaved rounds, node ${process.version}, load average ` +
      `${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}; min/median/max`,
  );
  if (process.env.NODE_EXTRA_CA_CERTS)
    console.log(
      'NODE_EXTRA_CA_CERTS is set: node 20 reads those certificates (and its own) at every start,' +
        " so node -e '' and every row include that; run with it unset for a typical machine's figures.",
    );
  console.log(
    table(
      [
        'command',
        'wall',
        'CPU (user+sys)',
        "× node -e '' (wall, per round)",
        "over node -e ''",
        'peak RSS',
        `≤ ${GOAL_MS} ms (median wall and CPU)`,
      ],
      rows,
    ),
  );
  if (INSTRUCTIONS) {
    const counts = subjects.map((s) => instructions(s));
    console.log('\nInstructions (callgrind, one run each, all threads)');
    console.log(
      table(
        ['command', 'instructions', "× node -e ''"],
        subjects.map((s, i) => [
          s.name,
          `${(counts[i]! / 1e6).toFixed(0)} M`,
          (counts[i]! / counts[0]!).toFixed(2) + '×',
        ]),
      ),
    );
  }
} finally {
  rmSync(empty, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
}
