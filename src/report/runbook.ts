/**
 * A runbook's results as a markdown section for the sticky request comment and the job summary:
 * risk flags and requested actions in the open, a chart of daily activity, and every other
 * result as a table in a collapsible block. Every value from CloudTrail goes through escape.ts.
 */
import type { QueryResult, Row, RunbookResult } from '../runbook/model.js';
import { cell, code } from './escape.js';
import { fitComment } from './fit.js';
import { LOOKUP_EVENTS_LIMIT, RUNBOOK_REMEDY } from './lookup-events-limit.js';

export interface RunbookReportOptions {
  /** The requester, shown in the heading. */
  principal?: string;
  /** Results shown outside a collapsible block. */
  open?: string[];
  /** Longest report; the rest is cut with a note (GitHub's comment limit by default). */
  limit?: number;
  /** The event source's name: from `lookup-events` the report says what that cannot see. */
  source?: string;
}

const DEFAULT_OPEN = ['risk-flags', 'requested-actions'];

/** Risk flags the highlights list; beyond it, one line fewer and the rest counted. */
const HIGHLIGHTED_FLAGS = 5;

/** Runbook titles are plain text by schema; this keeps that true for any result passed in. */
const plain = (text: string): string => text.replace(/[^A-Za-z0-9 ,.;:()/'+?-]/g, ' ');

export function renderRunbookReport(
  result: RunbookResult,
  options: RunbookReportOptions = {},
): string {
  const open = options.open ?? DEFAULT_OPEN;
  const total = result.results.find((r) => r.rows.length === 1 && isSeries(r.rows[0]!.series));
  const who = options.principal ? ` of ${code(options.principal)}` : '';
  const lines = [
    `### CloudTrail activity${who}`,
    '',
    `${total ? `**${Number(total.rows[0]!.count) || 0}** events` : 'Events'} from ${code(result.window.from)} to ${code(result.window.to)} (runbook ${code(result.runbook)}).`,
  ];
  if (options.source === 'lookup-events')
    lines.push(
      '',
      `Source: CloudTrail \`LookupEvents\`, management events only: ${LOOKUP_EVENTS_LIMIT}; ${RUNBOOK_REMEDY}.`,
    );
  if (total) lines.push('', ...chart(total));
  for (const r of result.results.filter((r) => open.includes(r.id)))
    lines.push('', `#### ${plain(r.title)}`, '', ...table(r), ...shown(r));
  for (const r of result.results.filter((r) => !open.includes(r.id) && r !== total)) {
    const all = r.total?.rows ?? r.rows.length;
    const size = all > r.rows.length ? `top ${r.rows.length} of ${all}` : String(all);
    lines.push(
      '',
      '<details>',
      `<summary>${plain(r.title)} (${size})</summary>`,
      '',
      ...table(r),
      ...shown(r),
      '',
      '</details>',
    );
  }
  return fitComment(lines.join('\n') + '\n', options.limit);
}

/**
 * A few lines for the top of the review comment, the full report being folded below them: how
 * many events the window held, and the risk flags the runbook raised (all of up to five, else
 * the first four by count).
 * A runbook without a risk-flags query says nothing about flags, rather than "none raised".
 */
export function runbookHighlights(result: RunbookResult): string[] {
  const total = result.results.find((r) => r.rows.length === 1 && isSeries(r.rows[0]!.series));
  const events = total ? `${Number(total.rows[0]!.count) || 0} events` : 'Events';
  const lines = [`${events} ${span(result.window)}.`];
  const flags = result.results.find((r) => r.id === 'risk-flags');
  if (!flags) return lines;
  if (flags.rows.length === 0) return [...lines, 'No risk flag raised.'];
  const shown = flags.rows.length > HIGHLIGHTED_FLAGS ? HIGHLIGHTED_FLAGS - 1 : flags.rows.length;
  const named = flags.rows.slice(0, shown).map((row) => {
    const calls = Number(row.count) || 0;
    return `- 🚩 ${plain(String(row.title ?? row.flag))} (${calls} event${calls === 1 ? '' : 's'})`;
  });
  const more = flags.rows.length - named.length;
  return [
    ...lines,
    ...named,
    ...(more > 0 ? [`- and ${more} more flag${more === 1 ? '' : 's'} in the full report`] : []),
  ];
}

/** `in the 90 days to `2026-11-25 09:00 UTC``: the window as a reviewer reads it. */
function span(window: RunbookResult['window']): string {
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  if (Number.isNaN(from) || Number.isNaN(to))
    return `from ${code(window.from)} to ${code(window.to)}`;
  const days = Math.round((to - from) / 86_400_000);
  const end = new Date(to).toISOString().slice(0, 16).replace('T', ' ');
  return `in the ${days} day${days === 1 ? '' : 's'} to ${code(`${end} UTC`)}`;
}

const isSeries = (value: unknown): value is Record<string, number> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A mermaid bar chart of the per-day counts: its labels and numbers are made here, not read. */
function chart(result: QueryResult): string[] {
  const series = result.rows[0]!.series as Record<string, number>;
  const days = Object.keys(series).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
  const labels = days.map((d) => `"${d.slice(5)}"`).join(', ');
  const counts = days.map((d) => String(Number(series[d]) || 0)).join(', ');
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${plain(result.title)}"`,
    `  x-axis [${labels}]`,
    '  y-axis "events"',
    `  bar [${counts}]`,
    '```',
  ];
}

/** Columns: every field the rows have, in first-seen order, `count` last, `series` left out. */
function table(result: QueryResult): string[] {
  if (result.rows.length === 0) return ['None.'];
  const columns = [
    ...new Set(result.rows.flatMap((r) => Object.keys(r)).filter((k) => k !== 'series')),
  ];
  columns.push(...columns.splice(columns.indexOf('count'), 1));
  return [
    `| ${columns.map((c) => code(plain(c))).join(' | ')} |`,
    `| ${columns.map((c) => (numeric(result.rows, c) ? '---:' : '---')).join(' | ')} |`,
    ...result.rows.map((row) => `| ${columns.map((c) => value(row[c])).join(' | ')} |`),
  ];
}

/**
 * Under a table cut to its query's `top`: that it was cut, and the exact total, so the rows
 * shown are never read as all there were.
 */
function shown(result: QueryResult): string[] {
  const total = result.total;
  if (!total || total.rows <= result.rows.length) return [];
  const sum = result.rows.reduce((n, r) => n + r.count, 0);
  return [
    '',
    `Top ${result.rows.length} of ${total.rows} rows shown, counting ${sum} of ${total.count} in all.`,
  ];
}

const numeric = (rows: Row[], column: string): boolean =>
  rows.every((r) => typeof r[column] === 'number');

/** Items of a list shown in one cell. */
const LISTED = 10;

function value(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '**yes**' : '';
  // jit-grants lists what was called during a grant: `action` ×count, each escaped; the row's
  // count is all of them, so the ones not listed are said to be there.
  if (Array.isArray(v)) {
    const listed = v
      .slice(0, LISTED)
      .map(
        (item: { action?: unknown; count?: unknown }) =>
          `${cell(String(item.action))} ×${Number(item.count) || 0}`,
      );
    if (v.length > LISTED) listed.push(`and ${v.length - LISTED} more actions`);
    return listed.join(', ');
  }
  return cell(String(v));
}
