import type { PermissionStatement } from '../domain.js';
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
  | { state: 'complete'; markdown: string; highlights?: string[] }
  | {
      state: 'cut';
      budgetSeconds: number;
      markdown: string;
      highlights?: string[];
      coverage: ReportCoverage;
    }
  | { state: 'failed'; reason: string };

/** One request file of the PR and what planning it gave. */
export type FileOutcome =
  | {
      file: string;
      ok: true;
      /** The plan of the request's (first) account: what every account shares is read here. */
      plan: Plan;
      /** Every account's plan, when the request names several (decision 027). */
      targets?: Plan[];
      /** The requester's CloudTrail in the account, or in each of `targets`, in their order. */
      activity?: Activity | (Activity | undefined)[];
    }
  | { file: string; ok: false; problems: Problem[] };

export interface RequestCommentInput {
  outcomes: FileOutcome[];
  /** Problems with the PR as a whole (files it may not touch). */
  prProblems: Problem[];
  /** The commit the verdict is about, so a reviewer knows it is current. */
  headSha?: string;
}

/**
 * The sticky review comment, read in the order a reviewer decides: the verdict, then per request
 * who gets which actions on which resources in which account and window, the risk, the approvals
 * still needed and the CloudTrail highlights, all in the open; the policy JSON and the full
 * CloudTrail report folded below. Every value that came from the PR or CloudTrail is a code span
 * or sits in a fenced block (see escape.ts). A high-risk request never carries the green tick.
 */
export function renderRequestComment({
  outcomes,
  prProblems,
  headSha,
}: RequestCommentInput): string {
  const lines: string[] = [
    `## ${verdictIcon(outcomes, prProblems)} jit-access: ${verdictLine(outcomes, prProblems)}`,
  ];
  if (headSha) lines.push('', `Checked at commit ${code(headSha.slice(0, 12))}.`);

  if (prProblems.length > 0) {
    lines.push('', '### This pull request cannot lead to a grant', '', problemBlock(prProblems));
  }
  for (const outcome of outcomes) {
    lines.push(
      '',
      ...(outcome.ok
        ? planSection(outcome.plan, outcome.activity, outcome.targets)
        : invalidSection(outcome.file, outcome.problems)),
    );
  }
  return lines.join('\n') + '\n';
}

/** ✅ only for a grantable request: high risk is a warning sign, whatever else holds. */
function verdictIcon(outcomes: FileOutcome[], prProblems: Problem[]): string {
  const valid = outcomes.length > 0 && outcomes.every((o) => o.ok) && prProblems.length === 0;
  if (!valid) return '❌';
  return outcomes.some((o) => o.ok && o.plan.verdict === 'needs-extra-approval') ? '⚠️' : '✅';
}

function verdictLine(outcomes: FileOutcome[], prProblems: Problem[]): string {
  if (outcomes.length === 0) return 'no request file in this pull request';
  const invalid = outcomes.filter((o) => !o.ok).length;
  if (invalid > 0)
    return `${invalid} of ${outcomes.length} request file${outcomes.length > 1 ? 's' : ''} invalid`;
  if (prProblems.length > 0) return 'the pull request changes files a request may not touch';
  const extra = outcomes.some((o) => o.ok && o.plan.verdict === 'needs-extra-approval');
  return extra ? 'valid, HIGH RISK: extra approvals required' : 'valid, ready for review';
}

/** Compiler-style lines in a fence: messages may quote request text, which must stay inert. */
function problemBlock(problems: Problem[]): string {
  return fenced(problems.map(humanLine).join('\n'), 'text');
}

function invalidSection(file: string, problems: Problem[]): string[] {
  return [`### ${code(file)}: invalid`, '', problemBlock(problems)];
}

function planSection(
  plan: Plan,
  activity: Activity | (Activity | undefined)[] | undefined,
  targets: Plan[] | undefined,
): string[] {
  const { request, resolved, lint, approvals } = plan;
  const as = (t: Plan) =>
    t.resolved.grantee.backend === 'iam'
      ? code(t.resolved.principalArn)
      : `Identity Center user ${code(t.resolved.principalArn)}`;
  const who = targets
    ? `${code(request.requester)}, in each account as the table below says`
    : `${code(request.requester)}, as ${as(plan)}`;
  const account = targets
    ? [
        `- **Accounts:** ${targets.length}, each granted and revoked on its own; one approval of this PR covers them all`,
        '',
        '| Account | As | Status |',
        '| --- | --- | --- |',
        ...targets.map(
          (t) =>
            `| ${cell(t.resolved.account.alias)} (${cell(t.resolved.account.id)}) | ${as(t)} | ${t.verdict === 'grantable' ? 'grantable' : 'HIGH RISK'} |`,
        ),
        '',
      ]
    : [`- **Account:** ${code(resolved.account.alias)} (${code(resolved.account.id)})`];
  const access = resolved.profile
    ? `profile ${code(resolved.profile)}`
    : 'custom permissions (written in the request)';
  const out = [
    `### ${code(plan.file)}`,
    '',
    `- **Who:** ${who}`,
    ...account,
    `- **Access:** ${access}, ${actionCount(plan)}, in the table below`,
    `- **Window:** ${windowText(plan)}`,
    `- **Risk:** ${riskText(plan)}`,
    `- **Approvals needed:** ${approvalText(approvals.required, approvals.approvers)}`,
    `- **Reason:** ${code(request.reason, { max: 500 })}`,
    ...(request.ticket ? [`- **Ticket:** ${code(request.ticket)}`] : []),
    '',
    ...statementTable(resolved.statements),
  ];
  if (lint.risks.length > 0) {
    out.push('', '**⚠️ High risk:**', '');
    for (const r of lint.risks)
      out.push(`- ${code(r.action)} (${riskLabel(r.kinds)}): ${plainReason(r.reason)}`);
  }
  if (plan.warnings.length > 0) {
    out.push('', '**Warnings:**', '');
    for (const w of plan.warnings) out.push(`- ${warningLine(w)}`);
  }
  // Several accounts: one report per account, each labelled with its account.
  const reports: [Activity | undefined, string | undefined][] = Array.isArray(activity)
    ? (targets ?? [plan]).map((t, i) => [activity[i], t.resolved.account.alias])
    : [[activity, undefined]];
  for (const [a, alias] of reports) out.push(...activitySection(a, alias));
  out.push('', ...policyDetails(plan));
  for (const [a, alias] of reports) out.push(...reportDetails(a, alias));
  return out;
}

/** A finding's place and message; the message may quote the request, so it is a code span. */
function warningLine(w: Problem): string {
  const line = w.line === undefined ? '' : `line ${w.line}, `;
  const path = w.path ? `${code(w.path)}: ` : '';
  return `${line}${path}${code(w.message, { max: 500 })}`;
}

/** `2026-11-25 09:00 UTC`: seconds only when there are some, so nothing is rounded away. */
function utc(date: Date): string {
  const iso = date.toISOString();
  const seconds = iso.slice(17, 23) === '00.000' ? '' : iso.slice(16, 23).replace(/\.000$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds} UTC`;
}

function windowText(plan: Plan): string {
  const { window, resolved } = plan;
  const span = `${code(utc(window.start))} → ${code(utc(window.expiry))}`;
  const duration = `**${code(formatDuration(resolved.durationMinutes))}**`;
  return plan.startsWhenGranted
    ? `${duration} from the merge; if merged now, ${span}`
    : `${span}, ${duration}`;
}

function riskText(plan: Plan): string {
  const { lint, approvals } = plan;
  const warnings = plan.warnings.length
    ? `; ${plan.warnings.length} warning${plan.warnings.length === 1 ? '' : 's'} below`
    : '';
  if (lint.risks.length === 0) return `no high-risk action found${warnings}`;
  const n = lint.risks.length;
  return `⚠️ **HIGH**: ${n} finding${n === 1 ? '' : 's'} below, so ${approvals.required} approvals${warnings}`;
}

function actionCount(plan: Plan): string {
  const { lint } = plan;
  const levels = Object.entries(lint.accessLevels).filter(([, n]) => n > 0);
  return (
    `${lint.totalExpanded} action${lint.totalExpanded === 1 ? '' : 's'}` +
    (levels.length ? ` (${levels.map(([lvl, n]) => `${lvl} ${n}`).join(', ')})` : '')
  );
}

/**
 * One row per statement, conditions included: the grant's whole scope in the open. Several
 * values share a cell one per line; every value is escaped by `cell`, so a `|` in an ARN stays
 * in its cell.
 */
function statementTable(statements: PermissionStatement[]): string[] {
  const rows = statements.map((s) => {
    const conditions = Object.entries(s.conditions ?? {}).flatMap(([operator, block]) =>
      Object.entries(block).map(
        ([key, value]) =>
          `${cell(key)} ${cell(operator)} ${(Array.isArray(value) ? value : [value]).map((v) => cell(v)).join(', ')}`,
      ),
    );
    return [
      s.actions.map((a) => cell(a)).join('<br>'),
      s.resources.map((r) => cell(r, 200)).join('<br>'),
      conditions.length ? conditions.join('<br>') : 'none but the window',
    ];
  });
  return [
    '| Actions | Resources | Conditions |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function policyDetails(plan: Plan): string[] {
  const { policy, window } = plan;
  const holder = plan.permissionSet
    ? `Permission set ${code(plan.permissionSet.name)}, inline policy of ${policy.size} characters`
    : `Managed policy ${code(policy.path + policy.name)}, ${policy.size} of 6,144 characters`;
  return [
    '<details><summary>Policy JSON and tags</summary>',
    '',
    `${holder}, valid only between ${code(window.start.toISOString())} and ${code(window.expiry.toISOString())}${plan.startsWhenGranted ? ' (moved to the merge time when granted)' : ''}.`,
    '',
    fenced(JSON.stringify(policy.document, null, 2), 'json'),
    '',
    fenced(policy.tags.map((t) => `${t.Key}=${t.Value}`).join('\n'), 'text'),
    '',
    '</details>',
  ];
}

/**
 * The CloudTrail highlights in the open (a few lines, made escaped by report/runbook.ts); the
 * report itself is folded by `reportDetails`. A failure reason is not ours: a code span.
 */
function activitySection(activity: Activity | undefined, account?: string): string[] {
  if (!activity) return [];
  const heading = `**Requester's CloudTrail${inAccount(account)}:**`;
  switch (activity.state) {
    case 'pending':
      return [
        '',
        `${heading} _⏳ being read (at most ${activity.budgetSeconds} s) and will be added here. If this line stays, the run ended before the report was ready: re-run the check for it. The verdict above does not depend on it._`,
      ];
    case 'complete':
      return ['', `${heading} ${highlightLines(activity.highlights).join('\n')}`];
    case 'failed':
      return ['', `${heading} _no report: ${code(activity.reason, { max: 300 })}._`];
    case 'cut':
      return cutSection(activity, heading);
  }
}

const inAccount = (account: string | undefined) =>
  account === undefined ? '' : ` in ${code(account)}`;

/** Highlights from a report made before they existed: say where the figures are. */
const highlightLines = (highlights: string[] | undefined): string[] =>
  highlights?.length ? highlights : ['see the full report below.'];

/**
 * A report the budget cut short says so before any figure, with what it had read, and labels
 * its highlights and its folded figures partial: an absence in them proves nothing.
 */
function cutSection(activity: Extract<Activity, { state: 'cut' }>, heading: string): string[] {
  const { budgetSeconds, coverage } = activity;
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
    `${heading} ⏱️ **report incomplete, cut by its ${budgetSeconds} s budget**: an action, region, refusal or earlier grant missing from its figures may still be in CloudTrail, so read no absence as "never". Re-run the check, or raise the \`report-budget\` input, for the full report. Of the window ${code(coverage.from)} to ${code(coverage.to)}, LookupEvents had read (lookups not listed read nothing):`,
    '',
    ...(lines.length > 0 ? lines : ['- nothing']),
    '',
    `Partial highlights: ${highlightLines(activity.highlights).join('\n')}`,
  ];
}

/** The full report, folded last: it is the longest part and the first a size cut should take. */
function reportDetails(activity: Activity | undefined, account?: string): string[] {
  if (activity?.state !== 'complete' && activity?.state !== 'cut') return [];
  const of = `Full CloudTrail report${inAccount(account)}`;
  const summary = activity.state === 'cut' ? `${of}: partial figures (incomplete)` : of;
  return [
    '',
    `<details><summary>${summary}</summary>`,
    '',
    activity.markdown.trimEnd(),
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
  return `**${required}** distinct approver${required === 1 ? '' : 's'}${who}, not the requester, on the final commit`;
}

/** Reasons are our own text (policy/escalation.ts), but keep them inert all the same. */
const plainReason = (reason: string): string => reason.replace(/[<>@#[\]`|*_\\]/g, ' ');
