import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { render, VARIANTS } from '../init/render.js';

/**
 * The access repository's workflows (as `jit init` writes them, for every variant) are the only
 * road to AWS, so their shape is tested, not just linted: no expression in a shell line (where
 * untrusted text would become code), no token wider than a job needs, and AWS credentials only
 * in the jobs bound to the jit-grant environment. This repository's own workflows (ci, release)
 * are checked for the first and the last.
 */
type Step = { run?: string; uses?: string; with?: Record<string, unknown> };
type Job = { permissions?: Record<string, string>; environment?: string; steps?: Step[] };
type Workflow = { on: Record<string, unknown>; permissions?: unknown; jobs: Record<string, Job> };

const JIT_ACTION = /^jit-access\/jit-access\/actions\/(request|grant|revoke)@/;

const workflows = VARIANTS.flatMap(({ name, options }) =>
  Object.entries(render(options))
    .filter(([path]) => path.startsWith('.github/workflows/'))
    .map(([path, text]) => ({
      variant: name,
      file: path.slice('.github/workflows/'.length),
      wf: load(text) as Workflow,
    })),
);
const own = readdirSync('.github/workflows')
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => ({
    variant: 'this repository',
    file: f,
    wf: load(readFileSync(join('.github/workflows', f), 'utf8')) as Workflow,
  }));

/** Expressions inside `run:` are spliced into the script before the shell sees it. */
function expressionsInRun(wf: Workflow): string[] {
  return Object.entries(wf.jobs).flatMap(([name, job]) =>
    (job.steps ?? []).flatMap((s, i) =>
      s.run && /\$\{\{/.test(s.run) ? [`${name}.steps[${i}]: ${s.run.trim()}`] : [],
    ),
  );
}

test.each(VARIANTS)('$name: the four access-repository workflows are all there', ({ options }) => {
  expect(
    Object.keys(render(options))
      .filter((p) => p.startsWith('.github/workflows/'))
      .sort(),
  ).toEqual([
    '.github/workflows/audit.yml',
    '.github/workflows/doctor.yml',
    '.github/workflows/grant.yml',
    '.github/workflows/request.yml',
    '.github/workflows/revoke.yml',
  ]);
});

test("this repository's own workflows are its CI and its release", () => {
  expect(own.map((w) => w.file).sort()).toEqual(['ci.yml', 'release.yml']);
});

test.each([...workflows, ...own])(
  '$variant $file: no ${{ }} expression in any run: line',
  ({ wf }) => {
    expect(expressionsInRun(wf)).toEqual([]);
  },
);

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

test.each(workflows)(
  '$variant $file: no default token permissions; each job asks for what it uses',
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

test.each(workflows.filter((w) => w.file === 'grant.yml' || w.file === 'revoke.yml'))(
  '$variant $file: GitHub through the App token, with least permissions, in jit-grant only',
  ({ wf }) => {
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
      const action = steps.find((s) => JIT_ACTION.test(s.uses ?? ''));
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

test.each(workflows)('$variant $file: the App key is used only in jit-grant jobs', ({ wf }) => {
  for (const job of Object.values(wf.jobs)) {
    if (JSON.stringify(job).includes('JIT_APP_PRIVATE_KEY'))
      expect(job.environment).toBe('jit-grant');
  }
});

test.each(workflows.filter((w) => w.file === 'request.yml'))(
  '$variant: the review App token asks for review and nothing else, in jit-request only',
  ({ wf }) => {
    for (const job of Object.values(wf.jobs)) {
      const steps = job.steps ?? [];
      const app = steps.find((s) => s.uses?.startsWith('actions/create-github-app-token@'));
      expect(app?.uses).toBe(APP_TOKEN_ACTION);
      expect(app?.with).toEqual({
        'client-id': '${{ vars.JIT_REVIEW_APP_CLIENT_ID }}',
        'private-key': '${{ secrets.JIT_REVIEW_APP_PRIVATE_KEY }}',
        'permission-members': 'read',
        'permission-pull-requests': 'write',
      });
      const action = steps.find((s) => JIT_ACTION.test(s.uses ?? ''));
      expect(action?.with).toEqual({
        'review-token': '${{ steps.review-app.outputs.token }}',
        'notify-webhook-url': '${{ secrets.JIT_NOTIFY_WEBHOOK_URL }}',
        'notify-format': '${{ vars.JIT_NOTIFY_FORMAT }}',
      });
    }
  },
);

test.each(workflows)(
  '$variant $file: the review App key is used only in jit-request jobs',
  ({ wf }) => {
    for (const job of Object.values(wf.jobs)) {
      if (JSON.stringify(job).includes('JIT_REVIEW_APP_PRIVATE_KEY'))
        expect(job.environment).toBe('jit-request');
    }
  },
);

test.each(workflows.filter((w) => w.file !== 'request.yml'))(
  '$variant $file: id-token only in jobs bound to the jit-grant environment',
  ({ wf }) => {
    for (const job of Object.values(wf.jobs)) {
      if (job.permissions?.['id-token'] === 'write') expect(job.environment).toBe('jit-grant');
    }
  },
);

test.each(workflows.filter((w) => w.file === 'request.yml'))(
  '$variant: the request check never checks out pull request code',
  ({ wf: request }) => {
    expect(Object.keys(request.on)).toEqual(['pull_request_target']);
    for (const job of Object.values(request.jobs)) {
      // Its OIDC token reaches only the read-only runbook role (see deploy/), never the broker,
      // which trusts the jit-grant environment's subject alone.
      expect(job.environment).toBe('jit-request');
      for (const step of job.steps ?? []) {
        expect(JSON.stringify(step.with ?? {})).not.toMatch(/head|github\.event/);
      }
    }
  },
);

test.each([...workflows, ...own])(
  '$variant $file: third-party actions are pinned to a full commit sha',
  ({ wf }) => {
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses && !JIT_ACTION.test(step.uses)) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
      }
    }
  },
);
