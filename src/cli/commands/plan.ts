import { checkRequestTargets, type Plan, type RequestPlan } from '../../plan/plan.js';
import type { Result } from '../../problem.js';
import { annotation, humanLine } from '../../report/annotations.js';
import { renderPlanText } from '../../report/plan-text.js';
import {
  AT_OPTION,
  CONFIG_OPTION,
  command,
  JSON_OPTION,
  positiveInteger,
  runnable,
} from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { loadConfig, readText } from '../load.js';
import { parseNow } from './now.js';

const spec = command({
  name: 'plan',
  synopsis: 'FILE',
  description:
    'Shows exactly what a request would grant: the time-bound policy, its tags, the window and the approvals it needs. Exit 1 when the request is invalid.',
  options: {
    config: CONFIG_OPTION,
    json: JSON_OPTION,
    pr: { type: 'string', value: 'N', help: 'the pull request number the policy is tagged with' },
    at: AT_OPTION,
  },
  positionals: [1, 1],
  positionalsHint: 'name exactly one request file',
});

/** `jit plan [--config PATH] [--json] [--pr N] FILE`: exactly what a grant would create. */
export const planCommand = runnable(spec, async ({ values, positionals }, io) => {
  const pr =
    values.pr === undefined ? undefined : positiveInteger('pr', values.pr, 'a pull request number');
  const now = parseNow(values.at);

  const plan = await planFile(io, values.config, positionals[0]!, now, pr);
  if (!plan.ok) {
    for (const p of plan.problems) io.stderr(humanLine(p) + '\n');
    if (io.env.GITHUB_ACTIONS === 'true')
      for (const p of plan.problems) io.stdout(annotation(p) + '\n');
    if (values.json)
      io.stdout(JSON.stringify({ valid: false, problems: plan.problems }, null, 2) + '\n');
    return EXIT.invalid;
  }
  // Several accounts (decision 027): each account's plan, in the order the file names them.
  const { targets } = plan.value;
  const json =
    targets.length === 1 ? planJson(targets[0]!) : { valid: true, targets: targets.map(planJson) };
  io.stdout(
    values.json ? JSON.stringify(json, null, 2) + '\n' : targets.map(renderPlanText).join('\n'),
  );
  return EXIT.ok;
});

async function planFile(
  io: CliIo,
  configPath: string | undefined,
  path: string,
  now: Date,
  pr: number | undefined,
): Promise<Result<RequestPlan>> {
  const config = await loadConfig(io, configPath);
  if (!config.ok) return config;
  const read = await readText(io, path);
  if (!read.ok) return read;
  return checkRequestTargets({
    ...read.value,
    config: config.value.config,
    now,
    ...(pr === undefined ? {} : { pr }),
  });
}

/** The stable machine form: what reviewers' tooling and the tests read. */
export function planJson(plan: Plan) {
  const { request, resolved, window, policy, lint, approvals } = plan;
  return {
    valid: true,
    file: plan.file,
    request: { ...request, start: request.start?.toISOString() },
    account: resolved.account,
    backend: resolved.grantee.backend,
    principal: resolved.principalArn,
    profile: resolved.profile ?? null,
    window: {
      start: window.start.toISOString(),
      expiry: window.expiry.toISOString(),
      startsWhenGranted: plan.startsWhenGranted,
    },
    verdict: plan.verdict,
    approvals,
    risks: lint.risks,
    accessLevels: lint.accessLevels,
    actions: lint.totalExpanded,
    warnings: plan.warnings,
    ...(plan.permissionSet ? { permissionSet: plan.permissionSet } : {}),
    policy: {
      name: policy.name,
      path: policy.path,
      size: policy.size,
      document: policy.document,
      tags: policy.tags,
    },
  };
}
