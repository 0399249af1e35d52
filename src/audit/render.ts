import { cell, code } from '../report/escape.js';
import type { Audit, AuditOutcome, AuditRow } from './audit.js';

export type AuditFormat = 'md' | 'json' | 'csv';
export const AUDIT_FORMATS: readonly AuditFormat[] = ['md', 'json', 'csv'];

/** Where the audit was read from, for its heading. */
export interface AuditSource {
  repository: string;
  branch: string;
  /** The log commit the records were read at. */
  commit?: string;
  records: number;
  /** Protection rules the log branch lacks: its records are then not to be trusted. */
  unprotected?: string[];
}

const NOT_RECORDED = 'not recorded';

const OUTCOME: Record<AuditOutcome, string> = {
  live: 'live',
  expired: 'ended at expiry',
  revoked: 'revoked early',
  extended: 'extended',
  refused: 'refused',
  'expired-before-grant': 'expired before it was granted',
};

export function renderAudit(format: AuditFormat, audit: Audit, source: AuditSource): string {
  switch (format) {
    case 'md':
      return renderMarkdown(audit, source);
    case 'json':
      return `${JSON.stringify({ source, ...audit }, null, 2)}\n`;
    case 'csv':
      return renderCsv(audit);
  }
}

/** What a row says of how the grant was used, in words. */
function usageText(row: AuditRow): string {
  if (row.usage === undefined) return row.outcome === 'live' ? 'not ended yet' : 'n/a';
  if (!row.usage.recorded) return NOT_RECORDED;
  const u = row.usage.usage;
  const calls = u.used.reduce((n, x) => n + x.calls, 0);
  const denied = u.denied.reduce((n, x) => n + x.calls, 0);
  return `${u.events} events (${u.source}): ${calls} calls to ${u.used.length} actions, ${denied} denied, ${u.unused.length} granted patterns unused`;
}

function endedText(row: AuditRow): string {
  const parts = [OUTCOME[row.outcome]];
  if (row.extendedBy)
    parts[0] = `extended by #${row.extendedBy.pr}${row.extendedBy.requestId ? ` (${row.extendedBy.requestId})` : ''}`;
  if (row.revoked) parts.push(`by ${row.revoked.by ?? 'an operator'} at ${row.revoked.at}`);
  if (row.removedAt) parts.push(`removed ${row.removedAt}`);
  else if (row.outcome === 'expired' || row.outcome === 'revoked' || row.outcome === 'extended')
    parts.push('removal pending');
  if (row.refusal) parts.push(row.refusal.codes.join(', '));
  return parts.join('; ');
}

/** The grant this one extends, in words; empty when it extends none. */
const extendsText = (row: AuditRow): string =>
  row.extends
    ? `${row.extends.requestId}${row.extends.pr !== undefined ? ` (#${row.extends.pr})` : ''}${row.extends.chainStart ? `, chain from ${row.extends.chainStart}` : ''}`
    : '';

/** Who broke the glass, by when the retro review was due, and what it said. */
function breakGlassText(row: AuditRow): string {
  const bg = row.breakGlass;
  if (!bg) return '';
  const retro =
    bg.retro === 'approved'
      ? `approved by ${(bg.retroApprovers ?? []).join(', ')} at ${bg.retroAt ?? ''}`
      : bg.retro === 'missed'
        ? `missed (recorded ${bg.retroAt ?? ''})`
        : 'pending';
  return `by ${bg.by}; retro review due ${bg.retroDue}: ${retro}`;
}

const grantedText = (row: AuditRow): string => {
  if (!row.account) return '';
  const what = row.profile ?? (row.actions ? `custom: ${row.actions.join(' ')}` : NOT_RECORDED);
  return `${row.account} (${row.backend ?? 'iam'}): ${what}`;
};

function renderMarkdown(audit: Audit, source: AuditSource): string {
  const t = audit.totals;
  const lines = [
    `# jit-access audit of ${code(source.repository)}`,
    '',
    `Requests decided from ${code(audit.period.since)} to ${code(audit.period.until)}, read from ${source.records} records on the ${code(source.branch)} branch${source.commit ? ` at ${code(source.commit)}` : ''}. Every figure is computed from those records alone, and none written after the period's end is read, so the report of a past period does not change.`,
    '',
    ...(source.unprotected
      ? [
          `> **Warning:** the log branch lacks the protection rules ${source.unprotected.map((r) => code(r)).join(', ')}: anyone with write access could have written these records (run \`jit doctor\`).`,
          '',
        ]
      : []),
    '## Totals',
    '',
    '| requests | granted | refused | expired before grant | live | ended at expiry | revoked early | extended | extensions | `/revoke` refused | usage recorded | usage not recorded | calls | denied calls |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${t.requests} | ${t.granted} | ${t.refused} | ${t.expiredBeforeGrant} | ${t.live} | ${t.expired} | ${t.revoked} | ${t.extended} | ${t.extensions} | ${t.revokeRefused} | ${t.usageRecorded} | ${t.usageNotRecorded} | ${t.calls} | ${t.deniedCalls} |`,
    '',
    '| break-glass grants | retro approved | retro missed | retro pending |',
    '| ---: | ---: | ---: | ---: |',
    `| ${t.breakGlass} | ${t.retroApproved} | ${t.retroMissed} | ${t.retroPending} |`,
  ];
  const codes = Object.entries(t.refusalCodes).sort(([a], [b]) => a.localeCompare(b));
  if (codes.length > 0) {
    lines.push('', '| refusal code | requests |', '| --- | ---: |');
    for (const [c, n] of codes) lines.push(`| ${cell(c)} | ${n} |`);
  }
  const accounts = Object.entries(t.grantsByAccount).sort(([a], [b]) => a.localeCompare(b));
  if (accounts.length > 0) {
    lines.push('', '| account | grants |', '| --- | ---: |');
    for (const [a, n] of accounts) lines.push(`| ${cell(a)} | ${n} |`);
  }
  lines.push('', '## Requests', '');
  if (audit.rows.length === 0) lines.push('No request was decided in this period.');
  else {
    lines.push(
      '| PR | request | asked by | why | approved by, at commit | break-glass | granted | extends | window | how it ended | what was used |',
      '| ---: | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const row of audit.rows) {
      const who = row.requester
        ? `${cell(row.requester)}${row.requesterFrom === 'pull-request' ? ' (PR author)' : ''}`
        : NOT_RECORDED;
      const why =
        row.reason === undefined
          ? NOT_RECORDED
          : `${cell(row.reason)}${row.ticket ? ` ${cell(row.ticket)}` : ''}`;
      const approved = row.approvers.length
        ? `${row.approvers.map((a) => cell(a)).join(', ')} at ${cell((row.commit ?? '').slice(0, 12))}`
        : '';
      const window = row.window ? `${cell(row.window.start)} → ${cell(row.window.expiry)}` : '';
      const ended = [cell(endedText(row), 400)];
      for (const r of row.refusal?.reasons ?? []) ended.push(cell(r));
      for (const r of row.revokeRefused)
        ended.push(`\`/revoke\` by ${cell(r.by)} refused: ${cell(r.reason)}`);
      lines.push(
        `| #${row.pr} | ${row.requestId ? cell(row.requestId) : ''} | ${who} | ${why} | ${approved} | ${row.breakGlass ? cell(breakGlassText(row), 300) : ''} | ${row.account ? cell(grantedText(row), 300) : ''} | ${row.extends ? cell(extendsText(row), 300) : ''} | ${window} | ${ended.join('<br>')} | ${cell(usageText(row), 300)} |`,
      );
    }
  }
  if (audit.unreadable.length > 0) {
    lines.push('', '## Records that could not be read', '');
    for (const u of audit.unreadable) lines.push(`- ${code(u.path)}: ${code(u.why)}`);
  }
  return `${lines.join('\n')}\n`;
}

const CSV_COLUMNS = [
  'pr',
  'request_id',
  'decided_at',
  'requester',
  'requester_from',
  'reason',
  'ticket',
  'approvers',
  'commit',
  'head_sha',
  'account',
  'account_id',
  'backend',
  'principal',
  'profile',
  'actions',
  'policy_arn',
  'window_start',
  'window_expiry',
  'outcome',
  'removed_at',
  'revoked_by',
  'revoked_at',
  'extended_by_pr',
  'extended_by_request',
  'extends_request',
  'extends_pr',
  'chain_start',
  'break_glass_by',
  'retro_due',
  'retro',
  'retro_at',
  'retro_approvers',
  'refusal_codes',
  'refusal_reasons',
  'revoke_refused',
  'usage',
  'usage_events',
  'usage_calls',
  'usage_denied_calls',
  'usage_unused',
] as const;

function csvRow(row: AuditRow): (string | number)[] {
  const u = row.usage?.recorded ? row.usage.usage : undefined;
  const values: Record<(typeof CSV_COLUMNS)[number], string | number> = {
    pr: row.pr,
    request_id: row.requestId ?? '',
    decided_at: row.decidedAt,
    requester: row.requester ?? NOT_RECORDED,
    requester_from: row.requesterFrom ?? '',
    reason: row.reason ?? NOT_RECORDED,
    ticket: row.ticket ?? '',
    approvers: row.approvers.join(' '),
    commit: row.commit ?? '',
    head_sha: row.headSha ?? '',
    account: row.account ?? '',
    account_id: row.accountId ?? '',
    backend: row.account ? (row.backend ?? 'iam') : '',
    principal: row.principal ?? '',
    profile: row.profile ?? '',
    actions: row.actions?.join(' ') ?? '',
    policy_arn: row.policyArn ?? '',
    window_start: row.window?.start ?? '',
    window_expiry: row.window?.expiry ?? '',
    outcome: row.outcome,
    removed_at: row.removedAt ?? '',
    revoked_by: row.revoked ? (row.revoked.by ?? '') : '',
    revoked_at: row.revoked?.at ?? '',
    extended_by_pr: row.extendedBy?.pr ?? '',
    extended_by_request: row.extendedBy?.requestId ?? '',
    extends_request: row.extends?.requestId ?? '',
    extends_pr: row.extends?.pr ?? '',
    chain_start: row.extends?.chainStart ?? '',
    break_glass_by: row.breakGlass?.by ?? '',
    retro_due: row.breakGlass?.retroDue ?? '',
    retro: row.breakGlass?.retro ?? '',
    retro_at: row.breakGlass?.retroAt ?? '',
    retro_approvers: row.breakGlass?.retroApprovers?.join(' ') ?? '',
    refusal_codes: row.refusal?.codes.join(' ') ?? '',
    refusal_reasons: row.refusal?.reasons.join('\n') ?? '',
    revoke_refused: row.revokeRefused.length,
    usage: row.usage === undefined ? '' : row.usage.recorded ? 'recorded' : NOT_RECORDED,
    usage_events: u ? u.events : '',
    usage_calls: u ? u.used.reduce((n, x) => n + x.calls, 0) : '',
    usage_denied_calls: u ? u.denied.reduce((n, x) => n + x.calls, 0) : '',
    usage_unused: u ? u.unused.join(' ') : '',
  };
  return CSV_COLUMNS.map((c) => values[c]);
}

/** One row per request, RFC 4180 (CRLF line ends, quoted where needed), header first. */
function renderCsv(audit: Audit): string {
  const lines = [CSV_COLUMNS.join(','), ...audit.rows.map((r) => csvRow(r).map(csvCell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return
 * before one) as a formula (OWASP "CSV Injection"): such a text cell gets a leading `'`. Then
 * RFC 4180 quoting: a cell with a quote, comma or line break is quoted, its quotes doubled.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
