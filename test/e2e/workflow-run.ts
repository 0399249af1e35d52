/**
 * Runs the one job of an access repository's workflow as a runner would, as far as jit-access
 * depends on it: the default branch checked out, GITHUB_TOKEN with the job's `permissions:`, an
 * OIDC token only for a job with `id-token: write` (its environment in the subject), the App token
 * step minted with exactly the permissions it names, and the jit-access step's inputs from its
 * `with:` over the action's defaults. The step's `uses: jit-access/jit-access/actions/<name>@<ref>`
 * is resolved here, in the harness, to this checkout's built action: the release it names is
 * this code.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { load } from 'js-yaml';
import type { AwsEmulator } from '../../emulators/aws/server.js';
import type { Installation } from '../../emulators/github/apps.js';
import type { Permissions } from '../../emulators/github/auth.js';
import type { GitHubEmulator } from '../../emulators/github/server.js';
import { RELEASE } from '../../src/init/release.js';
import { runAction, type ActionRun } from '../actions/runner.js';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
}
interface Job {
  environment?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}

const JIT_STEP = new RegExp(
  `^${RELEASE.repository}/actions/(request|grant|revoke)@(v\\d+|[0-9a-f]{40})$`,
);

export interface WorkflowRun {
  gh: GitHubEmulator;
  aws: AwsEmulator;
  repo: string;
  /** `.github/workflows/<file>` on the default branch: what GitHub would run. */
  workflowPath: string;
  event: { name: string; payload: unknown };
  /** The installation the App token step mints from. */
  installation: Installation;
}

export async function runWorkflow(r: WorkflowRun): Promise<ActionRun> {
  const head = r.gh.state.resolveRef(r.repo);
  const text = head.files.get(r.workflowPath)?.toString('utf8');
  if (text === undefined) throw new Error(`${r.workflowPath} is not on the default branch`);
  const jobs = Object.values((load(text) as { jobs: Record<string, Job> }).jobs);
  if (jobs.length !== 1) throw new Error(`${r.workflowPath}: one job expected`);
  const job = jobs[0]!;

  const { 'id-token': idToken, ...scopes } = job.permissions ?? {};
  const githubToken = r.gh.tokens.create({
    kind: 'github-token',
    repositories: [r.repo],
    permissions: Object.fromEntries(
      Object.entries(scopes).map(([k, v]) => [k.replace(/-/g, '_'), v]),
    ) as Permissions,
  });
  const outputs: Record<string, Record<string, string>> = {};
  let workspace: string | undefined;
  for (const step of job.steps) {
    const uses = step.uses ?? '';
    if (uses.startsWith('actions/checkout@')) {
      workspace = await checkout(head.files);
    } else if (uses.startsWith('actions/setup-node@')) {
      continue;
    } else if (uses.startsWith('actions/create-github-app-token@')) {
      const permissions = Object.fromEntries(
        Object.entries(step.with ?? {})
          .filter(([k]) => k.startsWith('permission-'))
          .map(([k, v]) => [k.slice('permission-'.length).replace(/-/g, '_'), String(v)]),
      );
      const minted = r.gh.apps.mint(r.installation, { permissions });
      outputs[step.id ?? ''] = { token: minted.token, 'app-slug': r.installation.app.slug };
    } else {
      const name = JIT_STEP.exec(uses)?.[1] as 'request' | 'grant' | 'revoke' | undefined;
      if (!name) throw new Error(`${r.workflowPath}: the harness cannot run "${uses}"`);
      if (!workspace) throw new Error(`${r.workflowPath}: the action runs before a checkout`);
      const expand = (value: string) =>
        value
          .replace(/\$\{\{ github\.token \}\}/g, githubToken)
          // Secrets and variables the setup did not create are empty, as on GitHub.
          .replace(/\$\{\{ (?:secrets|vars)\.\w+ \}\}/g, '')
          .replace(
            /\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}/g,
            (_, id: string, out: string) => {
              const v = outputs[id]?.[out];
              if (v === undefined) throw new Error(`no output ${id}.${out}`);
              return v;
            },
          );
      const inputs = { ...actionDefaults(name), ...step.with };
      return runAction(name, {
        event: r.event.payload,
        eventName: r.event.name,
        repository: r.repo,
        apiUrl: r.gh.url,
        inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, expand(String(v))])),
        workspace,
        now: r.aws.clock.now(),
        env: {
          ...(idToken === 'write'
            ? r.gh.oidc.runEnv({
                repository: r.repo,
                eventName: r.event.name,
                workflowPath: r.workflowPath,
                ...(job.environment ? { environment: job.environment } : {}),
              })
            : {}),
          AWS_ENDPOINT_URL: r.aws.url,
          AWS_REGION: 'us-east-1',
          // No ambient AWS credentials: the only way in is the OIDC exchange.
          AWS_EC2_METADATA_DISABLED: 'true',
          GITHUB_RUN_ID: '4242',
        },
      });
    }
  }
  throw new Error(`${r.workflowPath}: no jit-access step`);
}

/** The inputs' defaults in the action's manifest, as the runner passes them. */
function actionDefaults(name: string): Record<string, string> {
  const manifest = load(readFileSync(join('actions', name, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  return Object.fromEntries(
    Object.entries(manifest.inputs).flatMap(([k, v]) =>
      v.default === undefined ? [] : [[k, String(v.default)]],
    ),
  );
}

/** The tree of a commit written to a fresh directory, as actions/checkout leaves it. */
async function checkout(files: Map<string, Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jit-checkout-'));
  for (const [path, bytes] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
  return dir;
}
