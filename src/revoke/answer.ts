import { messageOf } from '../aws/errors.js';
import type { LogIndex } from '../record/index.js';
import type { DecisionLog } from '../record/log.js';
import {
  recordBase as base,
  type DecisionRecord,
  type RecordedUsage,
  type Stamp,
} from '../record/record.js';
import type { RevokeDecision } from './sweep.js';
import type { UsageReport } from './usage.js';
import type { RevokeRequest } from './requests.js';

/**
 * Writes each `/revoke` verdict to the decision log before anything is deleted: once `revoked`
 * is recorded no later grant run can grant that PR again, even if the deletion fails and is only
 * finished by a later sweep. A verdict that could not be recorded is not acted on.
 */
export async function recordRevokes(
  log: DecisionLog,
  requests: RevokeRequest[],
  stamp: Stamp,
): Promise<{ recorded: RevokeRequest[]; failures: { pr: number; error: string }[] }> {
  const recorded: RevokeRequest[] = [];
  const failures: { pr: number; error: string }[] = [];
  for (const r of requests) {
    const id = {
      ...(r.requestId ? { requestId: r.requestId } : {}),
      ...(r.on !== undefined ? { commentPr: r.on } : {}),
    };
    const record: DecisionRecord = r.verdict.allowed
      ? { ...base(r.pr, stamp), ...id, kind: 'revoked', by: r.by, commentId: r.commentId }
      : {
          ...base(r.pr, stamp),
          ...id,
          kind: 'revoke-refused',
          by: r.by,
          commentId: r.commentId,
          reason: r.verdict.reason,
        };
    try {
      await log.append(record);
      recorded.push(r);
    } catch (e) {
      failures.push({ pr: r.pr, error: messageOf(e) });
    }
  }
  return { recorded, failures };
}

/**
 * PRs whose grant a person revoked, or whose break-glass retro review was missed (decision 026),
 * and the sweep has not yet removed: revoke them now.
 */
export const revokedPrs = (index: LogIndex): number[] =>
  index.liveGrants().filter((pr) => index.has(pr, 'revoked') || index.has(pr, 'retro-missed'));

/**
 * The audit line for a policy the sweep deleted, with what it was used for when the usage report
 * could be made; undefined for a policy without its PR tag. `targets`: how many accounts the
 * PR's request names, when its records are per account (decision 027, `LogIndex.targets`).
 */
export function removalRecord(
  d: Extract<RevokeDecision, { kind: 'revoked' }>,
  stamp: Stamp,
  usage?: UsageReport,
  targets?: (pr: number) => number | undefined,
): DecisionRecord | undefined {
  const pr = Number(d.policy.tags['jit:pr']);
  if (!Number.isInteger(pr) || pr <= 0) return undefined;
  const of = targets?.(pr);
  return {
    ...base(pr, stamp),
    ...(of ? { target: { account: d.account.alias, of } } : {}),
    kind: 'removed',
    requestId: d.policy.requestId ?? d.policy.name,
    policyArn: d.policy.arn,
    reason: d.reason,
    detached: d.detached,
    ...(usage ? { usage: recordedUsage(usage) } : {}),
  };
}

/** The figures of a usage report, without the suggestion (derivable) or the window (in `granted`). */
export const recordedUsage = (u: UsageReport): RecordedUsage => ({
  source: u.source,
  events: u.events,
  used: u.used.map(({ action, calls, failed }) => ({ action, calls, failed })),
  denied: u.denied.map(({ action, calls, errorCode }) => ({ action, calls, errorCode })),
  unused: [...u.unused],
});
