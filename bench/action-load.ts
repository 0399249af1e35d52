/**
 * Load time of each action bundle: a fresh process `import()`s `actions/<name>/dist/index.js`
 * and stops (process.exit) as soon as the import settles, which is when the action has loaded
 * and started its work (its first `core.getInput`). The environment carries no GitHub or AWS
 * variables, so that work cannot reach anything. Run from the repository root:
 *
 *   npx tsc -p bench/tsconfig.json && node lib/bench/action-load.js
 *
 * Baseline, in the same interleaved rounds: BASELINE_BUNDLE=PATH times another action's bundle
 * the same way (the issue names aws-actions/configure-aws-credentials' dist/index.js; none of
 * its code is in this repository). Without it, the baseline is a bare import of
 * `@actions/core` and `@aws-sdk/client-sts` from node_modules, and the output says so.
 * BUNDLES=label:DIR,… compares bundle shapes built by `node scripts/build-actions.mjs --out DIR
 * [--no-minify]` (default `committed:actions`). ACTIONS=revoke,… times only those actions (a
 * build of one action: `node scripts/build-actions.mjs --out DIR revoke`). ROUNDS defaults to 10.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { interleaved, ratios, show, spread, table, type Subject } from './child.js';

const ROUNDS = Number(process.env.ROUNDS ?? 10);
const BASELINE = process.env.BASELINE_BUNDLE;
const BUNDLES = (process.env.BUNDLES ?? 'committed:actions').split(',').map((spec) => {
  const colon = spec.indexOf(':');
  return { label: spec.slice(0, colon), dir: resolve(spec.slice(colon + 1)) };
});

/** Imports its argument, reports how long that took, and exits before the action goes on. */
const LOADER = [
  'const t = performance.now();',
  'await import(process.argv[1]);',
  "process.stdout.write('\\n@import ' + (performance.now() - t));",
  'process.exit(0);',
].join(' ');

/** Nothing an action could act on: no GITHUB_*, INPUT_*, ACTIONS_* or AWS_* variables. */
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_NO_WARNINGS: '1',
};
const importing = (name: string, file: string): Subject => ({
  name,
  args: ['--input-type=module', '-e', LOADER, pathToFileURL(file).href],
  env,
});

const baseline: Subject = BASELINE
  ? importing(`baseline: ${BASELINE}`, resolve(BASELINE))
  : {
      name: 'baseline: import @actions/core + @aws-sdk/client-sts (node_modules)',
      args: [
        '--input-type=module',
        '-e',
        "const t = performance.now(); await Promise.all([import('@actions/core'), import('@aws-sdk/client-sts')]); process.stdout.write('\\n@import ' + (performance.now() - t)); process.exit(0);",
      ],
      cwd: process.cwd(),
      env,
    };

const only = process.env.ACTIONS?.split(',').filter(Boolean);
const actions = readdirSync('actions')
  .filter((a) => existsSync(join('actions', a, 'action.yml')))
  .filter((a) => !only || only.includes(a));
const subjects: Subject[] = [baseline];
const sizes = new Map<string, number>();
for (const { label, dir } of BUNDLES)
  for (const action of actions) {
    const file = join(dir, action, 'dist', 'index.js');
    if (!existsSync(file)) throw new Error(`no bundle at ${file}`);
    const name = `${action} (${label})`;
    sizes.set(name, statSync(file).size);
    subjects.push(importing(name, file));
  }
if (BASELINE) sizes.set(baseline.name, statSync(resolve(BASELINE)).size);

const runs = interleaved(subjects, ROUNDS);
const base = runs.get(baseline.name)!;
/** The loader's last line (an action may write its own first, e.g. a `::error::` line). */
const importMs = (r: { stdout: string }) => Number(/\n@import (\S+)$/.exec(r.stdout)?.[1]);
console.log(
  `Action bundle load, ${ROUNDS} interleaved rounds, node ${process.version}; min/median/max`,
);
if (!BASELINE)
  console.log(
    'No BASELINE_BUNDLE given: the baseline is a bare import of @actions/core and @aws-sdk/client-sts.',
  );
console.log(
  table(
    [
      'bundle',
      'size',
      'import()',
      'process wall',
      'CPU (user+sys)',
      '× baseline (wall, per round)',
      'peak RSS',
    ],
    subjects.map((s) => {
      const r = runs.get(s.name)!;
      const size = sizes.get(s.name);
      return [
        s.name,
        size === undefined ? '–' : `${(size / 1e6).toFixed(2)} MB`,
        show(spread(r.map(importMs)), 0, ' ms'),
        show(spread(r.map((x) => x.wallMs)), 0, ' ms'),
        show(spread(r.map((x) => x.cpuMs)), 0, ' ms'),
        s === baseline
          ? '1'
          : show(
              ratios(r, base, (x) => x.wallMs),
              2,
              '×',
            ),
        show(spread(r.map((x) => x.maxRssMB)), 0, ' MB'),
      ];
    }),
  ),
);
