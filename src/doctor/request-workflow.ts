import { parseYaml } from '../yaml/parse.js';

/** The request workflow as `jit init` writes it; doctor reads the default branch's copy. */
export const REQUEST_WORKFLOW_PATH = '.github/workflows/request.yml';

/** Whether a job binds `environment`, or why the workflow could not be read as YAML. */
export type EnvironmentUse = { ok: true; binds: boolean } | { ok: false; message: string };

/**
 * Whether any job of a workflow runs in `environment`: `environment: name` or
 * `environment: { name: … }`. Parsed as data by the safe YAML subset, never evaluated; names
 * compare case-insensitively, as GitHub's environment names do.
 */
export function bindsEnvironment(workflowText: string, environment: string): EnvironmentUse {
  const parsed = parseYaml(workflowText);
  if (!parsed.ok) {
    const first = parsed.problems[0];
    const at = first?.line === undefined ? '' : `line ${first.line}: `;
    return { ok: false, message: `${at}${first?.message ?? 'not YAML'}` };
  }
  const jobs = field(parsed.value.value, 'jobs');
  const wanted = environment.toLowerCase();
  const binds = Object.values(isMapping(jobs) ? jobs : {}).some((job) => {
    const env = field(job, 'environment');
    const name = typeof env === 'string' ? env : field(env, 'name');
    return typeof name === 'string' && name.trim().toLowerCase() === wanted;
  });
  return { ok: true, binds };
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const field = (v: unknown, key: string): unknown =>
  isMapping(v) && Object.hasOwn(v, key) ? v[key] : undefined;
