import { actsOnPrincipal, type CloudTrailRecord } from '../event.js';
import type { Principal } from '../principal.js';
import { actionsOf } from './action.js';
import { sortRows, type Collector, type Window } from '../collector.js';
import type { JitGrantsQuery, Row } from '../model.js';

interface Attachment {
  policyArn: string;
  ms: number;
  at: string;
  attach: boolean;
}

/**
 * Earlier grants: attachments of policies under the grant path to the principal (made by the
 * broker, so read with `actsOn`), each paired with the next detachment of the same policy or
 * the window's end; and what the principal called while each was attached.
 *
 * Records arrive in no order, so which calls fall inside a grant is only known at the end: this
 * is the one collector that keeps something per record, the time of each of the principal's
 * calls (a number per call, grouped by action), not the records themselves.
 */
export function jitGrantsCollector(
  principal: Principal,
  query: JitGrantsQuery,
  window: Window,
): Collector {
  const marker = `:policy${query.policyPath}`;
  const attachments: Attachment[] = [];
  const callTimes = new Map<string, number[]>();
  const actsOn = actsOnPrincipal(principal);
  const actionOf = actionsOf();
  return {
    add(record: CloudTrailRecord, own: boolean, ms: number) {
      const policyArn = record.requestParameters?.policyArn;
      if (
        !record.errorCode &&
        typeof policyArn === 'string' &&
        policyArn.includes(marker) &&
        actsOn(record)
      ) {
        attachments.push({
          policyArn,
          ms,
          at: record.eventTime,
          attach: record.eventName.startsWith('Attach'),
        });
        return;
      }
      if (!own) return;
      const action = actionOf(record);
      let times = callTimes.get(action);
      if (!times) callTimes.set(action, (times = []));
      times.push(ms);
    },
    finish() {
      attachments.sort((a, b) => a.ms - b.ms || Number(a.attach) - Number(b.attach));
      for (const times of callTimes.values()) times.sort((a, b) => a - b);
      const calls = [...callTimes];
      const windowEnd = window.to.getTime();
      // Each attachment ends at the first detachment of its policy after it in this order:
      // walking backwards, the last detachment seen per policy is that one. One pass, where
      // searching forward from each attachment was quadratic in the attachments.
      const nextDetach = new Map<string, Attachment>();
      const rows: Row[] = [];
      for (let i = attachments.length - 1; i >= 0; i--) {
        const a = attachments[i]!;
        if (!a.attach) {
          nextDetach.set(a.policyArn, a);
          continue;
        }
        const detach = nextDetach.get(a.policyArn);
        const end = detach?.ms ?? windowEnd;
        const actions: Row[] = [];
        let count = 0;
        for (const [action, times] of calls) {
          const n = countBetween(times, a.ms, end);
          if (n > 0) {
            actions.push({ action, count: n });
            count += n;
          }
        }
        rows.push({
          policyArn: a.policyArn,
          attachedAt: a.at,
          detachedAt: detach?.at ?? null,
          actions: sortRows(actions),
          count,
        });
      }
      return sortRows(rows);
    },
  };
}

/** How many of the sorted `times` lie in [from, to]. */
function countBetween(times: number[], from: number, to: number): number {
  return firstAtLeast(times, to + 1) - firstAtLeast(times, from);
}

/** Index of the first time ≥ `t` (binary search). */
function firstAtLeast(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
