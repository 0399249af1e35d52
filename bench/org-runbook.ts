/**
 * The runbook on an organisation trail (bench/org-trail.ts) against same-run baselines, each a
 * fresh process timed from outside, rounds interleaved, min/median/max:
 *
 * - `runbook`: the `jit runbook` command a user runs (default runbook, twelve queries), on the
 *   whole trail, JSON out; its fixed start-up is in bench/cli-start.ts.
 * - `services`: the same command with a runbook holding only the "services" query, the
 *   like-for-like comparison with the baselines, which all compute that one query: the
 *   requester's events counted per eventSource.
 * - `loop`: a bare gunzip + JSON.parse loop in node over the same files.
 * - `jq`: `zcat | jq | sort | uniq -c` (if jq is installed; the output says when it is not).
 * - `duckdb`: DuckDB's read_json over the same files (@duckdb/node-api, a devDependency), told
 *   the two columns it needs.
 *
 * Peak memory is the child's maxRSS (jq's pipeline has none: not a node process; its CPU is the
 * shell's children's, from `times`). Run from the
 * repository root, one command per row of bench/README.md:
 *
 *   npx tsc -p bench/tsconfig.json
 *   RECORDS=100000 COMPARE=jq,loop node lib/bench/org-runbook.js
 *   RECORDS=1000000 COMPARE=duckdb ROUNDS=3 node lib/bench/org-runbook.js
 *
 * RECORDS (default 100,000), DAYS (7), SEED (2026), ROUNDS (3), COMPARE (loop,jq,duckdb: any
 * of them), TRAIL_DIR (default: a directory under the system's temp dir, kept and reused),
 * JIT_BENCH_COMPARE=DIR (adds the default runbook run from another checkout with its lib/ built).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ratios, runNode, show, spread, table, type ChildRun, type Subject } from './child.js';
import { ensureOrgTrail, REQUESTER, TRAIL_END } from './org-trail.js';

const RECORDS = Number(process.env.RECORDS ?? 100_000);
const DAYS = Number(process.env.DAYS ?? 7);
const SEED = Number(process.env.SEED ?? 2026);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const COMPARE = (process.env.COMPARE ?? 'loop,jq,duckdb').split(',').filter(Boolean);
const root = process.env.TRAIL_DIR ?? join(tmpdir(), `jit-org-trail-${SEED}-${RECORDS}-${DAYS}d`);

const started = Date.now();
const trail = ensureOrgTrail({ root, records: RECORDS, days: DAYS, seed: SEED });
const generated = trail.reused
  ? 'reused'
  : `generated in ${((Date.now() - started) / 1000).toFixed(0)} s`;

const servicesRunbook = join(root, 'services-only.yaml');
writeFileSync(
  servicesRunbook,
  [
    'name: services-only',
    'title: Top services',
    'window: { since: 30d }',
    'parameters:',
    '  principal: { description: The requester, required: true }',
    'queries:',
    '  - id: services',
    '    title: Top services',
    '    groupBy: [eventSource]',
    '    top: 1000',
    '',
  ].join('\n'),
);

const runbook = (name: string, runbookArg: string, cwd?: string, more: string[] = []): Subject => ({
  name,
  ...(cwd ? { cwd } : {}),
  args: [
    'bin/jit.js',
    'runbook',
    '--runbook',
    runbookArg,
    '--source',
    `files:${join(root, 'AWSLogs')}`,
    '--principal',
    REQUESTER,
    '--at',
    TRAIL_END.toISOString().replace('.000Z', 'Z'),
    '--since',
    `${DAYS}d`,
    '--format',
    'json',
    ...more,
  ],
});

/** The bare loop: every file gunzipped and parsed whole, the services query by hand. */
const LOOP = `
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
const [root, arn] = process.argv.slice(1);
const counts = new Map();
for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
  if (!e.isFile() || !e.name.endsWith('.json.gz')) continue;
  const { Records } = JSON.parse(gunzipSync(readFileSync(join(e.parentPath, e.name))).toString('utf8'));
  for (const r of Records)
    if (r.userIdentity?.arn === arn) counts.set(r.eventSource, (counts.get(r.eventSource) ?? 0) + 1);
}
process.stdout.write(JSON.stringify([...counts]));
`;

/** DuckDB reading the same files, told the columns the query needs (its fastest honest use). */
const DUCKDB = `
import { DuckDBInstance } from '@duckdb/node-api';
const [root, arn] = process.argv.slice(1);
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const glob = root.replaceAll("'", "''") + '/AWSLogs/**/*.json.gz';
const reader = await c.runAndReadAll(\`
  SELECT r.eventSource, count(*) AS n
  FROM (SELECT unnest(Records) AS r FROM read_json('\${glob}', format = 'auto', compression = 'gzip',
    maximum_object_size = 268435456,
    columns = { Records: 'STRUCT(eventSource VARCHAR, userIdentity STRUCT(arn VARCHAR))[]' }))
  WHERE r.userIdentity.arn = '\${arn.replaceAll("'", "''")}'
  GROUP BY 1\`);
process.stdout.write(JSON.stringify(reader.getRows().map(([s, n]) => [s, Number(n)])));
`;

const inline = (name: string, code: string): Subject => ({
  name,
  args: ['--input-type=module', '-e', code, root, REQUESTER],
});

const hasJq = spawnSync('jq', ['--version']).status === 0;
const subjects: Subject[] = [
  runbook('runbook (default, 12 queries)', 'requester-context'),
  runbook('runbook (services query only)', servicesRunbook),
  runbook('runbook (services query only, --threads 1)', servicesRunbook, undefined, [
    '--threads',
    '1',
  ]),
  ...(process.env.JIT_BENCH_COMPARE
    ? [
        runbook(
          `runbook (default) [${process.env.JIT_BENCH_COMPARE}]`,
          'requester-context',
          resolve(process.env.JIT_BENCH_COMPARE),
        ),
      ]
    : []),
  ...(COMPARE.includes('loop') ? [inline('bare gunzip + JSON.parse loop', LOOP)] : []),
  ...(COMPARE.includes('duckdb') ? [inline('DuckDB read_json', DUCKDB)] : []),
];
const jqCommand = `find '${root}/AWSLogs' -name '*.json.gz' -exec zcat {} + | jq -r '.Records[] | select(.userIdentity.arn=="${REQUESTER}") | .eventSource' | sort | uniq -c`;
const useJq = COMPARE.includes('jq') && hasJq;

const runs = new Map<string, ChildRun[]>(subjects.map((s) => [s.name, []]));
if (useJq) runs.set('jq', []);
for (let round = 0; round < ROUNDS; round++) {
  for (const s of subjects) runs.get(s.name)!.push(runNode(s));
  if (useJq) {
    // The shell's `times`: its children's CPU (zcat, jq, sort, uniq), user then system.
    const t = process.hrtime.bigint();
    const out = spawnSync('sh', ['-c', `${jqCommand}; times >&2`], { maxBuffer: 1 << 28 });
    const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
    if (out.status !== 0) throw new Error(`jq: exit ${out.status}: ${out.stderr.toString()}`);
    const children = out.stderr.toString().trim().split('\n').at(-1)!;
    const cpuMs = [...children.matchAll(/(\d+)m([\d.]+)s/g)]
      .map(([, m, sec]) => (Number(m) * 60 + Number(sec)) * 1000)
      .reduce((a, b) => a + b, 0);
    runs.get('jq')!.push({
      wallMs,
      cpuMs,
      maxRssMB: NaN,
      status: 0,
      stdout: out.stdout.toString(),
      stderr: '',
    });
  }
}

// Every baseline computed the same services counts as the runbook: a bench of wrong answers
// measures nothing.
const services = (name: string, out: string): Map<string, number> => {
  if (name.startsWith('runbook')) {
    const result = JSON.parse(out) as {
      results: { id: string; rows: { eventSource: string; count: number }[] }[];
    };
    const q = result.results.find((x) => x.id === 'services')!;
    return new Map(q.rows.map((r) => [r.eventSource, r.count]));
  }
  if (name === 'jq')
    return new Map(
      out
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .map(([n, s]) => [s!, Number(n)]),
    );
  return new Map(JSON.parse(out) as [string, number][]);
};
const expected = services('runbook', runs.get(subjects[1]!.name)![0]!.stdout);
for (const [name, list] of runs) {
  const got = services(name, list[0]!.stdout);
  const same =
    [...expected].every(([k, v]) => got.get(k) === v) &&
    [...got].every(([k, v]) => expected.get(k) === v);
  // The default runbook keeps the top 10 services only.
  if (!same && !name.startsWith('runbook (default'))
    throw new Error(`${name} counted other services: ${JSON.stringify([...got])}`);
}

const base = runs.get(subjects[1]!.name)!;
const rate = (ms: number) => `${Math.round(trail.records / (ms / 1000)).toLocaleString('en')}/s`;
console.log(
  `${trail.records.toLocaleString('en')} records in ${trail.files} files (${(trail.gzBytes / 1e6).toFixed(1)} MB gzipped, ` +
    `${trail.requesterRecords.toLocaleString('en')} the requester's, ${((100 * trail.requesterRecords) / trail.records).toFixed(1)}%), ` +
    `${DAYS} days, seed ${SEED}, ${generated} (${root}); ` +
    `${ROUNDS} interleaved rounds, node ${process.version}; min/median/max`,
);
if (COMPARE.includes('jq') && !hasJq) console.log('jq is not installed: no jq row.');
console.log(
  table(
    [
      'reader',
      'wall',
      'records/s (median)',
      'CPU (user+sys)',
      'peak RSS',
      'this ÷ services-only runbook (wall, per round; >1: the runbook is faster)',
      'same, CPU',
    ],
    [...runs].map(([name, r]) => {
      const wall = spread(r.map((x) => x.wallMs));
      const cpu = spread(r.map((x) => x.cpuMs));
      const rss = spread(r.map((x) => x.maxRssMB));
      return [
        name,
        show({ min: wall.min / 1000, median: wall.median / 1000, max: wall.max / 1000 }, 2, ' s'),
        rate(wall.median),
        Number.isNaN(cpu.median)
          ? '–'
          : show({ min: cpu.min / 1000, median: cpu.median / 1000, max: cpu.max / 1000 }, 2, ' s'),
        Number.isNaN(rss.median) ? '–' : show(rss, 0, ' MB'),
        r === base
          ? '1'
          : show(
              ratios(r, base, (x) => x.wallMs),
              2,
              '×',
            ),
        r === base
          ? '1'
          : show(
              ratios(r, base, (x) => x.cpuMs),
              2,
              '×',
            ),
      ];
    }),
  ),
);
