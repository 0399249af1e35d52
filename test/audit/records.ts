import type { DecisionRecord } from '../../src/record/record.js';
import { recordPath } from '../../src/record/record.js';
import type { RawRecord } from '../../src/audit/audit.js';

/** A PR's records as the log holds them: numbered in order, pretty JSON like DecisionLog writes. */
export function logOf(records: DecisionRecord[]): RawRecord[] {
  const seq = new Map<number, number>();
  return records.map((r) => {
    const n = (seq.get(r.pr) ?? 0) + 1;
    seq.set(r.pr, n);
    return { path: recordPath(r, n), text: `${JSON.stringify(r, null, 2)}\n` };
  });
}

const H = 3600_000;
export const iso = (ms: number) => new Date(ms).toISOString();

/** A granted record for `pr` decided at `at`, with a two-hour window from then. */
export function grantedRecord(
  pr: number,
  at: number,
  extra: Partial<Extract<DecisionRecord, { kind: 'granted' }>> = {},
): DecisionRecord {
  return {
    v: 1,
    pr,
    at: iso(at),
    run: '4242',
    kind: 'granted',
    requestId: `req-${pr}`,
    requester: 'octocat',
    account: 'prod',
    accountId: '123456789012',
    principal: 'arn:aws:iam::123456789012:user/people/octocat',
    policyArn: `arn:aws:iam::123456789012:policy/jit/jit-req-${pr}`,
    policySha256: 'a'.repeat(64),
    window: { start: iso(at), expiry: iso(at + 2 * H) },
    commit: 'c0ffee'.padEnd(40, '0'),
    headSha: 'bead'.padEnd(40, '0'),
    approvers: ['sre-bob'],
    created: true,
    ...extra,
  };
}
