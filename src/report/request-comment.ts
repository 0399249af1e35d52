import type { Problem } from '../problem.js';
import type { Plan } from '../plan/plan.js';
import { riskLabel } from '../policy/escalation.js';
import { formatDuration } from '../request/duration.js';
import { humanLine } from './annotations.js';
import { cell, code, fenced } from './escape.js';

/** How far one LookupEvents lookup had read back when the report's budget ran out. */
export interface LookupCoverage {
  region: string;
  /** What the lookup reads, e.g. `the requester's own calls`. */
  lookup: string;
  /** The oldest event time it had reached; absent when no page had come back. */
  reachedBack?: string;
  /** It had read its last page: the whole window. */
  complete: boolean;
}

/** What a report cut by its budget had read, of the window it was asked for. */
export interface ReportCoverage {
  from: string;
  to: string;
  /** Only the lookups that had started: the others read nothing. */
  lookups: LookupCoverage[];
}

/**
 * The requester's CloudTrail report: still being read (the verdict is posted first), complete,
 * cut by its time budget (partial figures, said to be partial), or why it could not be made.
 */
export type Activity =
  | { state: 'pending'; budgetSeconds: number }
  | { state: 'complete'; markdown: string }
  | { state: 'cut'; budgetSeconds: number; markdown: string; coverage: ReportCoverage }
  | { state: 'failed'; reason: string };

/** One request file of the PR and what planning it gave. */
export type FileOutcome =
  | { file: string; ok: true; plan: Plan; activity?: Activity }
  | { file: string; ok: false; problems: Problem[] };

export interface RequestCommentInput {
  outcomes: FileOutcome[];
  /** Problems with the PR as a whole (files it may not touch). */
  prProblems: Problem[];
  /** The commit the verdict is about, so a reviewer knows it is current. */
  headSha?: string;
}

/**
 * The sticky review comment: the verdict first, then per request what would be granted, to
 * whom, for how long, what is risky and who must approve. Every value that came from the PR is
 * a code span or sits in a fenced block (see escape.ts).
 */
export function renderRequestComment({
  outcomes,
  prProblems,
  headSha,
}: RequestCommentInput): string {
  const invalid = outcomes.filter((o) => !o.ok).length;
  const valid = outcomes.length > 0 && invalid === 0 && prProblems.length === 0;
  const lines: string[] = [];
  lines.push(`## ${valid ? '✅' : '❌'} jit-access: ${verdictLine(outcomes, prProblems)}`);
  if (headSha) lines.push('', `Checked at commit ${code(headSha.slice(0, 12))}.`);

  if (prProblems.length > 0) {
    lines.push('', '### This pull request cannot lead to a grant', '', problemBlock(prProblems));
  }
  for (const outcome of outcomes) {
    lines.push(
      '',
      ...(outcome.ok
        ? [...planSection(outcome.plan), ...activitySection(outcome.activity)]
        : invalidSection(outcome.file, outcome.problems)),
    );
  }
  return lines.join('\n') + '\n';
}

function verdictLine(outcomes: FileOutcome[], prProblems: Problem[]): string {
  if (outcomes.length === 0) return 'no request file in this pull request';
  const invalid = outcomes.filter((o) => !o.ok).length;
  if (invalid > 0)
    return `${invalid} of ${outcomes.length} request file${outcomes.length > 1 ? 's' : ''} invalid`;
  if (prProblems.length > 0) return 'the pull request changes files a request may not touch';
  const extra = outcomes.some((o) => o.ok && o.plan.verdict === 'needs-extra-approval');
  return extra ? 'valid, high risk: extra approvals required' : 'valid, ready for review';
}

/** Compiler-style lines in a fence: messages may quote request text, which must stay inert. */
function problemBlock(problems: Problem[]): string {
  return fenced(problems.map(humanLine).join('\n'), 'text');
}

function invalidSection(file: string, problems: Problem[]): string[] {
  return [`### ${code(file)}: invalid`, '', problemBlock(problems)];
}

function planSection(plan: Plan): string[] {
  const { request, resolved, window, policy, lint, approvals } = plan;
  const start = plan.startsWhenGranted ? 'at the merge' : code(window.start.toISOString());
  const rows: [string, string][] = [
    ['Requester', cell(request.requester)],
    ['Account', `${cell(resolved.account.alias)} (${cell(resolved.account.id)})`],
    ['Principal', cell(resolved.principalArn)],
    ['Access', resolved.profile ? `profile ${cell(resolved.profile)}` : 'custom permissions'],
    ['Duration', `${code(formatDuration(resolved.durationMinutes))}, starting ${start}`],
    ['Reason', cell(request.reason, 500)],
  ];
  if (request.ticket) rows.push(['Ticket', cell(request.ticket)]);
  rows.push(['Approvals', approvalText(approvals.required, approvals.approvers)]);

  const out = [`### ${code(plan.file)}`, '', '| | |', '| --- | --- |'];
  for (const [k, v] of rows) out.push(`| ${k} | ${v} |`);

  if (lint.risks.length > 0) {
    out.push('', '#### ⚠️ High risk', '');
    for (const r of lint.risks)
      out.push(`- ${code(r.action)} (${riskLabel(r.kinds)}): ${plainReason(r.reason)}`);
  }
  if (plan.warnings.length > 0) {
    out.push('', '#### Warnings', '', problemBlock(plan.warnings));
  }
  const levels = Object.entries(lint.accessLevels).filter(([, n]) => n > 0);
  out.push(
    '',
    `#### Access: ${lint.totalExpanded} action${lint.totalExpanded === 1 ? '' : 's'}` +
      (levels.length ? ` (${levels.map(([lvl, n]) => `${lvl} ${n}`).join(', ')})` : ''),
    '',
    '<details><summary>Policy document and tags</summary>',
    '',
    `Managed policy ${code(policy.path + policy.name)}, ${policy.size} of 6,144 characters, valid only between ${code(window.start.toISOString())} and ${code(window.expiry.toISOString())}${plan.startsWhenGranted ? ' (moved to the merge time when granted)' : ''}.`,
    '',
    fenced(JSON.stringify(policy.document, null, 2), 'json'),
    '',
    fenced(policy.tags.map((t) => `${t.Key}=${t.Value}`).join('\n'), 'text'),
    '',
    '</details>',
  );
  return out;
}

/** The runbook report is already escaped by report/runbook.ts; a failure reason is not ours. */
function activitySection(activity: Activity | undefined): string[] {
  if (!activity) return [];
  switch (activity.state) {
    case 'pending':
      return [
        '',
        `_⏳ The requester's CloudTrail report is being read (at most ${activity.budgetSeconds} s) and will be added here. If this line stays, the run ended before the report was ready: re-run the check for it. The verdict above does not depend on it._`,
      ];
    case 'complete':
      return ['', activity.markdown.trimEnd()];
    case 'failed':
      return ['', `_No CloudTrail report: ${code(activity.reason, { max: 300 })}._`];
    case 'cut':
      return cutSection(activity.budgetSeconds, activity.coverage, activity.markdown);
  }
}

/**
 * A report the budget cut short says so before any figure, with what it had read, and keeps its
 * figures folded under a label that calls them partial: an absence in them proves nothing.
 */
function cutSection(budgetSeconds: number, coverage: ReportCoverage, markdown: string): string[] {
  const span = days(Date.parse(coverage.to) - Date.parse(coverage.from));
  const lines = coverage.lookups.map((l) => {
    const what = `${code(l.region)}, ${l.lookup}`;
    if (l.complete) return `- ${what}: the whole window`;
    if (!l.reachedBack) return `- ${what}: nothing yet`;
    const read = Math.min(span, days(Date.parse(coverage.to) - Date.parse(l.reachedBack)));
    return `- ${what}: back to ${code(l.reachedBack)} only (${read} of ${span} days)`;
  });
  return [
    '',
    `### ⏱️ CloudTrail report incomplete: cut by its ${budgetSeconds} s budget`,
    '',
    `Of the window ${code(coverage.from)} to ${code(coverage.to)}, LookupEvents had read:`,
    '',
    ...(lines.length > 0 ? lines : ['- nothing']),
    '',
    'Lookups not listed had not started and read nothing. An action, region, refusal or earlier grant missing from the figures below may still be in CloudTrail: read no absence as "never". Re-run the check, or raise the `report-budget` input, for the full report.',
    '',
    '<details><summary>Partial figures (incomplete)</summary>',
    '',
    markdown.trimEnd(),
    '',
    '</details>',
  ];
}

/** Whole days in a span, rounded down: never more read than was. */
const days = (ms: number): number => Math.max(0, Math.floor(ms / 86_400_000));

function approvalText(required: number, approvers: string[]): string {
  const who = approvers.length
    ? ` from ${approvers.map((a) => code(a)).join(', ')}`
    : ' from code owners';
  return `${required} distinct approver${required === 1 ? '' : 's'}${who}, not the requester, on the final commit`;
}

/** Reasons are our own text (policy/escalation.ts), but keep them inert all the same. */
const plainReason = (reason: string): string => reason.replace(/[<>@#[\]`|*_\\]/g, ' ');
