/**
 * The verdict as a requester reads it in a terminal: how risky the policy is and whose approvals
 * it waits for, e.g. `high risk (iam:PassRole): needs 2 approvals from acme/security`.
 */
import type { Plan } from './plan.js';

/** Risky actions named before the rest are summed up. */
const SHOWN_RISKS = 3;

export function verdictInWords(plan: Plan): string {
  const { required, approvers } = plan.approvals;
  const who =
    approvers.length === 0
      ? 'the code owners of the request file'
      : approvers.length === 1
        ? approvers[0]!
        : `any of ${approvers.join(', ')}`;
  const needs = `needs ${required} approval${required === 1 ? '' : 's'} from ${who}`;
  const risks = [...new Set(plan.lint.risks.map((r) => r.action))];
  if (risks.length === 0) return `low risk: ${needs}`;
  const shown = risks.slice(0, SHOWN_RISKS).join(', ');
  const more = risks.length > SHOWN_RISKS ? ` and ${risks.length - SHOWN_RISKS} more` : '';
  const extra = required - plan.resolved.approvals.required;
  const raised = extra > 0 ? ` (${extra} more than usual, for the high risk)` : '';
  return `high risk (${shown}${more}): ${needs}${raised}`;
}
