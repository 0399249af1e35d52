import type { Plan } from '../plan/plan.js';
import { riskLabel } from '../policy/escalation.js';
import { formatDuration } from '../request/duration.js';
import { hiddenCharacters } from '../text/hidden.js';
import { humanLine } from './annotations.js';

// A request's text reaches a terminal: escape sequences must not repaint or hide anything.
export const terminalSafe = (s: string): string => s.replace(hiddenCharacters(), '\uFFFD');

/** `jit plan`'s human output: the decision first, the exact policy last. */
export function renderPlanText(plan: Plan): string {
  const { request, resolved, window, policy, lint, approvals } = plan;
  const out: string[] = [];
  const row = (k: string, v: string) =>
    out.push(`${(k + ':').padEnd(12)}${terminalSafe(v).replace(/\n/g, ' ⏎ ')}`);
  row('request', `${request.id} (${plan.file})`);
  row(
    'verdict',
    plan.verdict === 'grantable' ? 'valid' : 'valid, HIGH RISK: extra approvals required',
  );
  row('requester', request.requester);
  row('account', `${resolved.account.alias} (${resolved.account.id})`);
  row('backend', resolved.grantee.backend);
  row(
    resolved.grantee.backend === 'iam' ? 'principal' : 'user',
    resolved.grantee.backend === 'iam'
      ? resolved.principalArn
      : `${resolved.principalArn} (Identity Center ${resolved.grantee.identityCenter.identityStoreId})`,
  );
  row('access', resolved.profile ? `profile ${resolved.profile}` : 'custom permissions');
  row('duration', formatDuration(resolved.durationMinutes));
  row(
    'window',
    `${window.start.toISOString()} .. ${window.expiry.toISOString()}` +
      (plan.startsWhenGranted ? ' (starts at the merge; shown from now)' : ''),
  );
  row('reason', request.reason);
  if (request.ticket) row('ticket', request.ticket);
  const who = approvals.approvers.length ? approvals.approvers.join(', ') : 'any code owner';
  row('approvals', `${approvals.required} distinct, not the requester (${who})`);

  const levels = Object.entries(lint.accessLevels)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${level} ${n}`);
  row('actions', `${lint.totalExpanded}${levels.length ? ` (${levels.join(', ')})` : ''}`);
  if (lint.risks.length > 0) {
    out.push('', 'high risk:');
    for (const r of lint.risks)
      out.push(`  ${terminalSafe(r.action)} (${riskLabel(r.kinds)}): ${r.reason}`);
  }
  if (plan.warnings.length > 0) {
    out.push('', 'warnings:');
    for (const w of plan.warnings) out.push(`  ${terminalSafe(humanLine(w))}`);
  }
  out.push(
    '',
    plan.permissionSet
      ? `permission set ${plan.permissionSet.name} (session up to ${plan.permissionSet.sessionDuration}), inline policy (${policy.size} characters):`
      : `policy ${policy.path}${policy.name} (${policy.size} of 6144 characters):`,
  );
  out.push(terminalSafe(JSON.stringify(policy.document, null, 2)));
  out.push('', 'tags:');
  for (const t of plan.permissionSet?.tags ?? policy.tags)
    out.push(`  ${terminalSafe(`${t.Key}=${t.Value}`)}`);
  return out.join('\n') + '\n';
}
