import type { GrantDecision } from '../grant/reconcile.js';
import { formatDuration } from '../request/duration.js';
import { humanLine } from './annotations.js';
import { cell, code, fenced } from './escape.js';

/**
 * The PR comment for a grant decision: presentation only. What was decided is in the decision
 * log, which no comment edit can change.
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
        ...extensionLines(decision),
        '',
        `| Approved by | ${decision.approvers.map((a) => cell(a)).join(', ')} at ${code(decision.headSha.slice(0, 12))} |`,
        '',
        'AWS stops honouring the policy at expiry by its own `aws:CurrentTime` conditions; the revoke sweep then deletes it and reports what was used. The requester or someone who may approve this access can end it early by commenting `/revoke`.',
        ...unrecorded(decision),
      ].join('\n');
    }
    case 'expired':
      return [
        `## ⌛ jit-access: ${code(decision.requestId)} expired before it was granted`,
        '',
        `Its window ended at ${code(decision.window.expiry.toISOString())}. Nothing was granted; open a new request if access is still needed.`,
        ...unrecorded(decision),
      ].join('\n');
    case 'refused':
      return [
        `## ⛔ jit-access: not granted${decision.requestId ? ` ${code(decision.requestId)}` : ''}`,
        '',
        'Nothing was granted. Every reason:',
        '',
        fenced(decision.problems.map(humanLine).join('\n'), 'text'),
        '',
        `Codes: ${[...new Set(decision.problems.map((p) => code(p.code ?? 'REFUSED')))].join(', ')}.`,
        '',
        'This decision is final and recorded: a later review or a change of team membership does not turn it into a grant. Open a new request PR.',
        ...unrecorded(decision),
      ].join('\n');
    case 'delayed':
      return [
        `## ⏳ jit-access: grant delayed${decision.requestId ? ` ${code(decision.requestId)}` : ''}`,
        '',
        `Nothing was refused: ${code(decision.code)} stopped this run before it could decide. The next run of the grant workflow retries it; the run that failed is marked failed for the operators.`,
        '',
        fenced(decision.error, 'text'),
      ].join('\n');
  }
}

/** A decision that is live but not yet in the decision log: said, since the next run re-judges it. */
function unrecorded(decision: GrantDecision): string[] {
  return decision.unrecorded === undefined
    ? []
    : [
        '',
        `⚠️ This decision could not be written to the decision log yet (${code(decision.unrecorded)}); the next run records it.`,
      ];
}

/** What became of the grant an extension named (decision 025). */
function extensionLines(decision: Extract<GrantDecision, { kind: 'granted' }>): string[] {
  const e = decision.extension;
  if (!e) return [];
  if (e.kind === 'lapsed')
    return [
      `| Extends | ${code(e.of)} (PR #${e.pr}) had ended at ${code(e.endedAt.toISOString())}, before this was merged: granted as a new grant, not an extension |`,
    ];
  const held =
    decision.backend === 'identity-center'
      ? { what: 'permission set', done: 'assigned' }
      : { what: 'policy', done: 'attached' };
  const removal = e.left
    ? `its ${held.what} could not be removed (${cell(e.left, 300)}); it stops working at its own expiry and the sweep removes it`
    : `its ${held.what} was removed once this one was ${held.done}`;
  return [
    `| Extends | ${code(e.of)} (PR #${e.pr}): ${removal}; the chain began at ${code(e.chainStart.toISOString())} |`,
  ];
}
