import type { UsageReport, UsageSource } from '../revoke/usage.js';
import type { RevokeDecision } from '../revoke/sweep.js';
import { cell, code, fenced } from './escape.js';
import { LOOKUP_EVENTS_LIMIT, USAGE_REMEDY } from './lookup-events-limit.js';

type Revoked = Extract<RevokeDecision, { kind: 'revoked' }>;

/** The PR comment when a grant ends: what was removed and what the grant was used for. */
export function renderRevokeComment(decision: Revoked, usage: UsageReport | undefined): string {
  const { policy } = decision;
  const id = policy.requestId ?? policy.name;
  const why = decision.reason === 'early' ? 'revoked early on request' : 'expired and removed';
  const lines = [
    `## 🔒 jit-access: ${code(id)} ${why}`,
    '',
    `Policy ${code(policy.arn)} was detached${decision.detached.length ? ` from ${decision.detached.map((d) => code(d)).join(', ')}` : ''} and deleted.`,
  ];
  if (usage) lines.push('', ...usageSection(usage));
  else lines.push('', 'No usage report: CloudTrail could not be read for this grant.');
  return lines.join('\n');
}

/** Where the events came from, and what that source cannot see. */
export const SOURCE_LINES: Record<UsageSource, string> = {
  'lookup-events': `Source: CloudTrail \`LookupEvents\`, management events only: ${LOOKUP_EVENTS_LIMIT}; ${USAGE_REMEDY}.`,
  athena:
    'Source: the CloudTrail trail through Athena (data events such as S3 object reads included).',
};

function usageSection(usage: UsageReport): string[] {
  const out = [
    `### What it was used for`,
    '',
    `${usage.events} CloudTrail event${usage.events === 1 ? '' : 's'} by ${code(usage.principalArn)} between ${code(usage.window.start.toISOString())} and ${code(usage.window.expiry.toISOString())}.`,
    '',
    SOURCE_LINES[usage.source],
  ];
  if (usage.used.length > 0) {
    out.push('', '| action | calls | failed |', '| --- | ---: | ---: |');
    for (const u of usage.used.slice(0, 50))
      out.push(`| ${cell(u.action)} | ${u.calls} | ${u.failed} |`);
  }
  if (usage.denied.length > 0) {
    out.push(
      '',
      '**Denied** (not covered by the grant):',
      '',
      '| action | calls | error |',
      '| --- | ---: | --- |',
    );
    for (const d of usage.denied.slice(0, 50))
      out.push(`| ${cell(d.action)} | ${d.calls} | ${cell(d.errorCode)} |`);
  }
  const blind = usage.source === 'lookup-events';
  if (usage.unused.length > 0) {
    out.push(
      '',
      `**${blind ? 'Granted and not seen in LookupEvents' : 'Granted but never used'}:** ${usage.unused
        .slice(0, 50)
        .map((a) => code(a))
        .join(', ')}`,
    );
  }
  out.push('', nextTime(usage.suggested.length > 0, blind));
  if (usage.suggested.length > 0) {
    out.push('', fenced(usage.suggested.map(yamlStatement).join('\n'), 'yaml'));
  }
  return out;
}

/**
 * What the report suggests for next time. From LookupEvents, "nothing seen" is not "nothing
 * used": the grant's data events (S3 object reads…) were never visible to it.
 */
function nextTime(suggested: boolean, blind: boolean): string {
  if (suggested)
    return blind
      ? 'A tighter request next time (what LookupEvents saw; add any data-event actions you used):'
      : 'A tighter request next time (only what was used):';
  return blind
    ? 'Nothing granted was seen in LookupEvents, which cannot see data events: this does not show the access went unused.'
    : 'Nothing granted was used: the next request may not need this access at all.';
}

/** The suggestion in request-file syntax, ready to paste under `permissions:`. */
const yamlStatement = (s: { actions: string[]; resources: string[] }): string =>
  `- actions: ${JSON.stringify(s.actions)}\n  resources: ${JSON.stringify(s.resources)}`;
