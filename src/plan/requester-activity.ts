import type { Problem, Result } from '../problem.js';
import { fail, ok } from '../problem.js';
import { renderRunbookReport } from '../report/runbook.js';
import { runRunbook } from '../runbook/engine.js';
import type { EventSource } from '../runbook/event.js';
import { bind, parseRunbook } from '../runbook/parse.js';
import type { Plan } from './plan.js';

/**
 * The reviewer's context for one planned request: the organisation's runbook (config
 * `defaults.runbook`) run over the requester's principal in the requested account, with the
 * requested actions as a parameter, rendered for the review comment.
 */
export async function requesterActivity(input: {
  plan: Plan;
  runbook: { text: string; file: string };
  source: EventSource;
  now: Date;
}): Promise<Result<string>> {
  const { plan } = input;
  const definition = parseRunbook(input.runbook.text, input.runbook.file);
  if (!definition.ok) return definition;
  const declared = new Set(definition.value.parameters.map((p) => p.name));
  const values: Record<string, string | string[]> = { principal: plan.resolved.principalArn };
  if (declared.has('account')) values.account = plan.resolved.account.alias;
  if (declared.has('requested_actions')) {
    values.requested_actions = [...new Set(plan.resolved.statements.flatMap((s) => s.actions))];
  }
  const runbook = bind(definition.value, values);
  if (!runbook.ok) return runbook;
  try {
    const result = await runRunbook(
      runbook.value,
      input.source,
      input.now,
      plan.resolved.account.regions,
    );
    return ok(renderRunbookReport(result, { principal: plan.resolved.principalArn }));
  } catch (e) {
    return fail([
      problem(`reading CloudTrail (${input.source.name}) failed: ${(e as Error).message}`),
    ]);
  }
}

const problem = (message: string): Problem => ({ path: '', severity: 'error', message });
