import type { GrantDecision } from '../grant/reconcile.js';
import { stateMarker } from '../grant/state.js';
import { formatDuration } from '../request/duration.js';
import { humanLine } from './annotations.js';
import { cell, code, fenced } from './escape.js';

/**
 * The PR comment for a grant decision. It ends with a state marker the reconciler reads back,
 * so a granted or expired request is never granted again by a later run.
 */
export function renderGrantComment(decision: GrantDecision): string {
  switch (decision.kind) {
    case 'granted': {
      const { plan, policyArn } = decision;
      const { resolved, window } = plan;
      return [
        `## 🔓 jit-access: granted ${code(plan.request.id)}`,
        '',
        '| | |',
        '| --- | --- |',
        `| To | ${cell(plan.request.requester)} as ${cell(resolved.principalArn)} |`,
        `| Account | ${cell(resolved.account.alias)} (${cell(resolved.account.id)}) |`,
        `| Access | ${resolved.profile ? `profile ${cell(resolved.profile)}` : 'custom permissions'}, ${plan.lint.totalExpanded} actions |`,
        `| Valid | from ${code(window.start.toISOString())} until ${code(window.expiry.toISOString())} (${code(formatDuration(resolved.durationMinutes))}) |`,
        `| Policy | ${cell(policyArn, 300)} |`,
        '',
        'AWS stops honouring the policy at expiry by its own `aws:CurrentTime` conditions; the revoke sweep then deletes it and reports what was used. The requester or an approver can end it early by commenting `/revoke`.',
        '',
        stateMarker(plan.request.id, 'granted'),
      ].join('\n');
    }
    case 'expired':
      return [
        `## ⌛ jit-access: ${code(decision.requestId)} expired before it was granted`,
        '',
        `Its window ended at ${code(decision.window.expiry.toISOString())}. Nothing was granted; open a new request if access is still needed.`,
        '',
        stateMarker(decision.requestId, 'expired'),
      ].join('\n');
    case 'refused':
      return [
        `## ⛔ jit-access: not granted${decision.requestId ? ` ${code(decision.requestId)}` : ''}`,
        '',
        'Nothing was granted. Every reason:',
        '',
        fenced(decision.problems.map(humanLine).join('\n'), 'text'),
        '',
        'The grant is re-checked on every run of the grant workflow; a refusal caused by the request itself needs a new request PR.',
        ...(decision.requestId ? ['', stateMarker(decision.requestId, 'refused')] : []),
      ].join('\n');
  }
}
