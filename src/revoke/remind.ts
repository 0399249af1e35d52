import type { Octokit } from '@octokit/rest';
import { messageOf } from '../aws/errors.js';
import type { RepoRef } from '../github/pull-request.js';
import { tell, type Notify } from '../notify/event.js';
import type { LogIndex } from '../record/index.js';
import type { DecisionLog } from '../record/log.js';
import { recordBase, type Stamp } from '../record/record.js';
import { code } from '../report/escape.js';
import type { LiveGrant } from './sweep.js';

/** A grant whose requester is told it ends soon. */
export interface Reminder {
  pr: number;
  requestId: string;
  /** A GitHub login, checked to be one, so mentioning it cannot inject markdown. */
  requester: string;
  account: string;
  expiry: Date;
  minutesLeft: number;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/**
 * The live grants whose requester is due a reminder: ending within `beforeMinutes`, with a
 * window longer than that (a grant shorter than the reminder lead time was told its end when
 * granted), and not reminded yet according to the log. Pure.
 */
export function dueReminders(
  grants: readonly LiveGrant[],
  now: Date,
  beforeMinutes: number,
  index: LogIndex,
): Reminder[] {
  if (beforeMinutes <= 0) return [];
  const lead = beforeMinutes * 60_000;
  const due: Reminder[] = [];
  for (const { account, policy } of grants) {
    const pr = Number(policy.tags['jit:pr']);
    const requester = policy.tags['jit:requester'] ?? '';
    const start = Date.parse(policy.tags['jit:start'] ?? '');
    const left = policy.expiry.getTime() - now.getTime();
    if (!Number.isInteger(pr) || pr <= 0 || !LOGIN.test(requester)) continue;
    if (left <= 0 || left > lead) continue;
    if (Number.isNaN(start) || policy.expiry.getTime() - start <= lead) continue;
    if (index.has(pr, 'reminded')) continue;
    due.push({
      pr,
      requestId: policy.requestId,
      requester,
      account: account.alias,
      expiry: policy.expiry,
      minutesLeft: Math.ceil(left / 60_000),
    });
  }
  return due;
}

export function reminderComment(r: Reminder): string {
  return [
    `@${r.requester} your access ${code(r.requestId)} to ${code(r.account)} ends at ${r.expiry.toISOString()} (in about ${r.minutesLeft} minutes).`,
    '',
    'AWS ends it on its own at that time; nothing to do if you are finished. To keep working, open a new request ' +
      '(see `requests/README.md`); comment `/revoke` here to end it now.',
  ].join('\n');
}

export interface RemindRun {
  log: DecisionLog;
  octokit: Octokit;
  repo: RepoRef;
  stamp: Stamp;
  notify?: Notify;
}

/**
 * Records each reminder, then comments and notifies. The record comes first so that a sweep that
 * fails half-way never reminds twice; a comment that fails is reported, not retried (the grant
 * still ends on time, which is what matters).
 */
export async function sendReminders(
  run: RemindRun,
  reminders: readonly Reminder[],
): Promise<{ sent: Reminder[]; failures: { pr: number; error: string }[] }> {
  const sent: Reminder[] = [];
  const failures: { pr: number; error: string }[] = [];
  for (const r of reminders) {
    try {
      await run.log.append({
        ...recordBase(r.pr, run.stamp),
        kind: 'reminded',
        requestId: r.requestId,
        expiry: r.expiry.toISOString(),
      });
    } catch (e) {
      failures.push({ pr: r.pr, error: `recording the reminder: ${messageOf(e)}` });
      continue;
    }
    try {
      await run.octokit.rest.issues.createComment({
        ...run.repo,
        issue_number: r.pr,
        body: reminderComment(r),
      });
      sent.push(r);
    } catch (e) {
      failures.push({ pr: r.pr, error: `posting the reminder: ${messageOf(e)}` });
    }
    await tell(run.notify, {
      kind: 'expiring',
      pr: r.pr,
      requestId: r.requestId,
      requester: r.requester,
      account: r.account,
      detail: `ends at ${r.expiry.toISOString()}, in about ${r.minutesLeft} minutes`,
    });
  }
  return { sent, failures };
}
