/**
 * Fixed start-up of the CLI, each a fresh process: `jit validate` of one request file, and
 * `jit runbook --source files:` of an empty trail (everything but reading records), against
 * `node -e ''` in the same interleaved rounds. Run from the repository root:
 *
 *   npx tsc -p bench/tsconfig.json && node lib/bench/cli-start.js
 *
 * ROUNDS (default 15) sets the rounds; JIT_BENCH_COMPARE=DIR adds the same two commands run from
 * another checkout with its own lib/ built (e.g. the commit before a change), for before/after
 * figures from one run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { interleaved, ratios, show, spread, table, type ChildRun, type Subject } from './child.js';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const COMPARE = process.env.JIT_BENCH_COMPARE;
/** Issue 10 and issue 12: on an idle 2-core machine. */
const GOAL_MS = 300;

const empty = mkdtempSync(join(tmpdir(), 'jit-empty-trail-'));
const commands = (root: string, label: string): Subject[] => [
  {
    name: `jit validate (1 file)${label}`,
    cwd: root,
    args: ['bin/jit.js', 'validate', 'requests/example-profile.yaml'],
  },
  {
    name: `jit runbook --source files: (empty)${label}`,
    cwd: root,
    args: [
      'bin/jit.js',
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
  ...commands(process.cwd(), ''),
  ...(COMPARE ? commands(resolve(COMPARE), ` [${COMPARE}]`) : []),
];

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
    `CLI start-up, ${ROUNDS} interleaved rounds, node ${process.version}; min/median/max`,
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
} finally {
  rmSync(empty, { recursive: true, force: true });
}
