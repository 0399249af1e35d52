import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

/**
 * The shipped workflows are the only road to AWS, so their shape is tested, not just linted:
 * no expression in a shell line (where untrusted text would become code), no token wider than a
 * job needs, and AWS credentials only in the jobs bound to the jit-grant environment.
 */
const dir = '.github/workflows';
type Step = { run?: string; uses?: string; with?: Record<string, unknown> };
type Job = { permissions?: Record<string, string>; environment?: string; steps?: Step[] };
type Workflow = { on: Record<string, unknown>; permissions?: unknown; jobs: Record<string, Job> };

const workflows = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => ({ file: f, wf: load(readFileSync(join(dir, f), 'utf8')) as Workflow }));

/** Expressions inside `run:` are spliced into the script before the shell sees it. */
function expressionsInRun(wf: Workflow): string[] {
  return Object.entries(wf.jobs).flatMap(([name, job]) =>
    (job.steps ?? []).flatMap((s, i) =>
      s.run && /\$\{\{/.test(s.run) ? [`${name}.steps[${i}]: ${s.run.trim()}`] : [],
    ),
  );
}

test('the product workflows are all there', () => {
  expect(workflows.map((w) => w.file).sort()).toEqual([
    'audit.yml',
    'ci.yml',
    'doctor.yml',
    'grant.yml',
    'request.yml',
    'revoke.yml',
  ]);
});

test.each(workflows)('$file: no ${{ }} expression in any run: line', ({ wf }) => {
  expect(expressionsInRun(wf)).toEqual([]);
});

test('the check catches an untrusted context spliced into a script', () => {
  const planted = load(
    'on: pull_request_target\njobs:\n  x:\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n',
  ) as Workflow;
  expect(expressionsInRun(planted)).toHaveLength(1);
});

/**
 * GITHUB_TOKEN scopes each workflow may ask for. Only the request check comments with
 * GITHUB_TOKEN; grant and revoke read and write GitHub through the App's token, so theirs only
 * checks out and asks for the OIDC token.
 */
const GITHUB_TOKEN_ALLOWED: Record<string, string[]> = {
  'request.yml': ['contents:read', 'pull-requests:write', 'id-token:write'],
  'grant.yml': ['contents:read', 'id-token:write'],
  'revoke.yml': ['contents:read', 'id-token:write'],
  'doctor.yml': ['contents:read'],
  // Reads the decision log and PR authors; opens the report as an issue when asked to.
  'audit.yml': ['contents:read', 'pull-requests:read', 'issues:write'],
};

test.each(workflows.filter((w) => w.file !== 'ci.yml'))(
  '$file: no default token permissions; each job asks for what it uses',
  ({ file, wf }) => {
    expect(wf.permissions).toEqual({});
    for (const job of Object.values(wf.jobs)) {
      const perms = job.permissions ?? {};
      for (const [scope, level] of Object.entries(perms)) {
        expect(GITHUB_TOKEN_ALLOWED[file]).toContain(`${scope}:${level}`);
      }
    }
  },
);

const APP_TOKEN_ACTION = 'actions/create-github-app-token@1b10c78c7865c340bc4f6099eb2f838309f1e8c3';
/** What grant and revoke need of the App, and no more (README, docs/decisions/002). */
const APP_PERMISSIONS = {
  'permission-contents': 'write',
  'permission-issues': 'write',
  'permission-members': 'read',
  'permission-metadata': 'read',
  'permission-pull-requests': 'write',
};

test.each(['grant.yml', 'revoke.yml'])(
  '%s: GitHub through the App token, with least permissions, in jit-grant only',
  (file) => {
    const wf = workflows.find((w) => w.file === file)!.wf;
    for (const job of Object.values(wf.jobs)) {
      expect(job.environment).toBe('jit-grant');
      const steps = job.steps ?? [];
      const app = steps.find((s) => s.uses?.startsWith('actions/create-github-app-token@'));
      expect(app?.uses).toBe(APP_TOKEN_ACTION);
      expect(app?.with).toEqual({
        'client-id': '${{ vars.JIT_APP_CLIENT_ID }}',
        'private-key': '${{ secrets.JIT_APP_PRIVATE_KEY }}',
        ...APP_PERMISSIONS,
      });
      const action = steps.find((s) => s.uses?.startsWith('./actions/'));
      expect(action?.with).toEqual({
        'github-token': '${{ steps.app.outputs.token }}',
        'comment-author': '${{ steps.app.outputs.app-slug }}[bot]',
        // Notifications: the URL only ever from the environment's secrets.
        'notify-webhook-url': '${{ secrets.JIT_NOTIFY_WEBHOOK_URL }}',
        'notify-format': '${{ vars.JIT_NOTIFY_FORMAT }}',
      });
    }
  },
);

test.each(workflows)('$file: the App key is used only in jit-grant jobs', ({ wf }) => {
  for (const job of Object.values(wf.jobs)) {
    if (JSON.stringify(job).includes('JIT_APP_PRIVATE_KEY'))
      expect(job.environment).toBe('jit-grant');
  }
});

test.each(workflows.filter((w) => w.file !== 'request.yml'))(
  '$file: id-token only in jobs bound to the jit-grant environment',
  ({ wf }) => {
    for (const job of Object.values(wf.jobs)) {
      if (job.permissions?.['id-token'] === 'write') expect(job.environment).toBe('jit-grant');
    }
  },
);

test('the request check never checks out pull request code', () => {
  const request = workflows.find((w) => w.file === 'request.yml')!.wf;
  expect(Object.keys(request.on)).toEqual(['pull_request_target']);
  for (const job of Object.values(request.jobs)) {
    // Its OIDC token reaches only the read-only runbook role (see deploy/), never the broker.
    expect(job.environment).toBeUndefined();
    for (const step of job.steps ?? []) {
      expect(JSON.stringify(step.with ?? {})).not.toMatch(/head|github\.event/);
    }
  }
});

test.each(workflows)('$file: third-party actions are pinned to a full commit sha', ({ wf }) => {
  for (const job of Object.values(wf.jobs)) {
    for (const step of job.steps ?? []) {
      if (step.uses && !step.uses.startsWith('./')) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
    }
  }
});
