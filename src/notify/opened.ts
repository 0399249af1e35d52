import type { PullRequestCheck } from '../plan/pull-request.js';
import type { NotifyEvent } from './event.js';

/**
 * What a channel is told when a request PR is opened (or reopened): the request as written and
 * the verdict on it, so a request that cannot be granted is not announced as one waiting for
 * approval. Every text field is the requester's and is escaped by the format (decision 022).
 */
export function openedEvent(pr: number, check: PullRequestCheck): NotifyEvent {
  const first = check.outcomes.find((o) => o.ok);
  if (!check.valid || !first?.ok) {
    const problems =
      check.prProblems.length +
      check.outcomes.reduce((n, o) => n + (o.ok ? 0 : o.problems.length), 0);
    return {
      kind: 'opened',
      pr,
      detail: `not a valid request yet: the check found ${problems} problem${problems === 1 ? '' : 's'}; see the pull request`,
    };
  }
  const { request, resolved, approvals, startsWhenGranted, window } = first.plan;
  const who = approvals.approvers.length > 0 ? approvals.approvers.join(', ') : 'any code owner';
  return {
    kind: 'opened',
    pr,
    requestId: request.id,
    requester: request.requester,
    account: resolved.account.alias,
    ...(startsWhenGranted
      ? {}
      : { window: { start: window.start.toISOString(), expiry: window.expiry.toISOString() } }),
    reason: request.reason,
    ...(request.ticket ? { ticket: request.ticket } : {}),
    detail: `waits for ${approvals.required} approval${approvals.required === 1 ? '' : 's'} of ${who}${request.extends ? `; extends ${request.extends}` : ''}`,
  };
}
