/**
 * "Its figures are reproducible from the record alone": for any decision log, the audit's totals
 * equal what independent code counts from the raw record files, with nothing but JSON.parse and
 * the path. The counting below shares no code with src/audit.
 */
import fc from 'fast-check';
import { buildAudit, type RawRecord } from '../../src/audit/audit.js';
import type { DecisionRecord } from '../../src/record/record.js';
import { grantedRecord, iso, logOf } from './records.js';

const SINCE = Date.parse('2026-11-01T00:00:00Z');
const UNTIL = Date.parse('2026-12-01T00:00:00Z');
const H = 3600_000;

const usageArb = fc.record({
  source: fc.constantFrom('lookup-events' as const, 'athena' as const),
  events: fc.nat(500),
  used: fc.array(
    fc.record({
      action: fc.constantFrom('s3:GetObject', 's3:ListBucket'),
      calls: fc.nat(50),
      failed: fc.nat(3),
    }),
    { maxLength: 2 },
  ),
  denied: fc.array(
    fc.record({
      action: fc.constant('s3:PutObject'),
      calls: fc.nat(9),
      errorCode: fc.constant('AccessDenied'),
    }),
    { maxLength: 1 },
  ),
  unused: fc.array(fc.constant('s3:GetObjectVersion'), { maxLength: 1 }),
});

/** One PR's story: how it was decided and what happened after, at times around the period. */
const storyArb = fc.record({
  decision: fc.constantFrom('granted', 'refused', 'expired', 'skipped'),
  /** Hours from SINCE: some before the period, some after it. */
  at: fc.oneof(
    fc.integer({ min: -72, max: 30 * 24 + 72 }),
    // Close to either end, where a record can fall on the other side of it.
    fc.integer({ min: -3, max: 3 }),
    fc.integer({ min: 30 * 24 - 8, max: 30 * 24 }),
  ),
  codes: fc.subarray(['APPROVALS_MISSING', 'NOT_MERGED', 'REQUEST_INVALID', 'GRANT_CONFLICT'], {
    minLength: 1,
  }),
  revokeRefused: fc.nat(2),
  end: fc.constantFrom(
    'none',
    'removed-expired',
    'revoked',
    'revoked-removed',
    'removed-early',
    'removed-extended',
  ),
  /** Whether the grant extends the previous PR's (decision 025). */
  extendsPrevious: fc.boolean(),
  /** A break-glass grant (decision 026), and the retro verdicts recorded after it, in order. */
  breakGlass: fc.option(
    fc.record({
      verdicts: fc.array(fc.constantFrom('retro-approved', 'retro-missed'), { maxLength: 2 }),
      afterHours: fc.integer({ min: 0, max: 4 }),
    }),
    { nil: undefined },
  ),
  endAfterHours: fc.integer({ min: 0, max: 6 }),
  usage: fc.option(usageArb, { nil: undefined }),
  account: fc.constantFrom('prod', 'staging'),
});

type Story = typeof storyArb extends fc.Arbitrary<infer T> ? T : never;

function recordsOf(pr: number, s: Story): DecisionRecord[] {
  const at = SINCE + s.at * H;
  const base = { v: 1 as const, pr };
  if (s.decision === 'skipped')
    return [{ ...base, at: iso(at), kind: 'skipped', reason: 'adds no request file' }];
  if (s.decision === 'refused')
    return [
      {
        ...base,
        at: iso(at),
        kind: 'refused',
        codes: s.codes,
        reasons: s.codes.map((c) => `because ${c}`),
      },
    ];
  if (s.decision === 'expired')
    return [
      {
        ...base,
        at: iso(at),
        kind: 'expired',
        requestId: `req-${pr}`,
        window: { start: iso(at - 3 * H), expiry: iso(at - H) },
      },
    ];
  const due = at + H;
  const out: DecisionRecord[] = [
    grantedRecord(pr, at, {
      account: s.account,
      ...(s.extendsPrevious
        ? { extends: `req-${pr - 1}`, extendsPr: pr - 1, chainStart: iso(at - H) }
        : {}),
      ...(s.breakGlass
        ? {
            approvers: [],
            breakGlass: { by: 'octocat', retroDue: iso(due), rule: { required: 1, approvers: [] } },
          }
        : {}),
    }),
  ];
  for (const kind of s.breakGlass?.verdicts ?? [])
    out.push(
      kind === 'retro-approved'
        ? {
            ...base,
            at: iso(at + s.breakGlass!.afterHours * H),
            kind,
            requestId: `req-${pr}`,
            approvers: ['sre-bob'],
          }
        : {
            ...base,
            at: iso(due + s.breakGlass!.afterHours * H),
            kind,
            requestId: `req-${pr}`,
            due: iso(due),
            summary: 'no approval of the granted commit',
          },
    );
  const later = at + s.endAfterHours * H;
  for (let i = 0; i < s.revokeRefused; i++)
    out.push({
      ...base,
      at: iso(at + 60_000),
      kind: 'revoke-refused',
      by: 'mallory',
      commentId: 100 + i,
      reason: 'not an approver',
    });
  const removed = (reason: 'expired' | 'early' | 'extended', when: number): DecisionRecord => ({
    ...base,
    at: iso(when),
    kind: 'removed',
    requestId: `req-${pr}`,
    policyArn: `arn:aws:iam::123456789012:policy/jit/jit-req-${pr}`,
    reason,
    ...(reason === 'extended' ? { extendedBy: pr + 1 } : {}),
    detached: ['octocat'],
    ...(s.usage ? { usage: s.usage } : {}),
  });
  if (s.end === 'removed-expired') out.push(removed('expired', at + 2 * H + 60_000));
  if (s.end === 'removed-early') out.push(removed('early', later));
  if (s.end === 'removed-extended') out.push(removed('extended', later));
  if (s.end === 'revoked' || s.end === 'revoked-removed')
    out.push({ ...base, at: iso(later), kind: 'revoked', by: 'sre-carol', commentId: 999 });
  if (s.end === 'revoked-removed') out.push(removed('early', later + 60_000));
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw JSON, read as any reader would
type Raw = Record<string, any>;

/** The totals, counted straight from the files: independent of src/audit by construction. */
function countFromFiles(files: RawRecord[]) {
  const perPr = new Map<string, { seq: number; r: Raw }[]>();
  for (const f of files) {
    const m = /^pr\/(\d+)\/(\d+)-/.exec(f.path);
    if (!m) continue;
    const r = JSON.parse(f.text) as Raw;
    if (Date.parse(r.at) >= UNTIL) continue;
    perPr.set(m[1]!, [...(perPr.get(m[1]!) ?? []), { seq: Number(m[2]), r }]);
  }
  const t = {
    requests: 0,
    granted: 0,
    refused: 0,
    expiredBeforeGrant: 0,
    live: 0,
    expired: 0,
    revoked: 0,
    extended: 0,
    extensions: 0,
    breakGlass: 0,
    retroApproved: 0,
    retroMissed: 0,
    retroPending: 0,
    revokeRefused: 0,
    usageRecorded: 0,
    usageNotRecorded: 0,
    calls: 0,
    deniedCalls: 0,
    refusalCodes: {} as Record<string, number>,
    grantsByAccount: {} as Record<string, number>,
  };
  for (const list of perPr.values()) {
    const rs = list.sort((a, b) => a.seq - b.seq).map((x) => x.r);
    const first = rs.find((r) => ['granted', 'refused', 'expired'].includes(r.kind));
    if (!first) continue;
    const at = Date.parse(first.at);
    if (at < SINCE || at >= UNTIL) continue;
    t.requests++;
    t.revokeRefused += rs.filter((r) => r.kind === 'revoke-refused').length;
    if (first.kind === 'refused') {
      t.refused++;
      for (const c of first.codes) t.refusalCodes[c] = (t.refusalCodes[c] ?? 0) + 1;
      continue;
    }
    if (first.kind === 'expired') {
      t.expiredBeforeGrant++;
      continue;
    }
    t.granted++;
    t.grantsByAccount[first.account] = (t.grantsByAccount[first.account] ?? 0) + 1;
    const removal = rs.find((r) => r.kind === 'removed');
    if (rs.some((r) => r.kind === 'revoked') || removal?.reason === 'early') t.revoked++;
    else if (removal?.reason === 'extended') t.extended++;
    else if (removal || Date.parse(first.window.expiry) <= UNTIL) t.expired++;
    else t.live++;
    if (first.extends) t.extensions++;
    if (first.breakGlass) {
      t.breakGlass++;
      const verdict = rs.find((r) => r.kind === 'retro-approved' || r.kind === 'retro-missed');
      if (verdict?.kind === 'retro-approved') t.retroApproved++;
      else if (verdict) t.retroMissed++;
      else t.retroPending++;
    }
    if (removal?.usage) {
      t.usageRecorded++;
      for (const u of removal.usage.used) t.calls += u.calls;
      for (const d of removal.usage.denied) t.deniedCalls += d.calls;
    } else if (removal) t.usageNotRecorded++;
  }
  return t;
}

test('the totals are what anyone counts from the raw record files', () => {
  fc.assert(
    fc.property(fc.array(storyArb, { maxLength: 25 }), (stories) => {
      const files = logOf(stories.flatMap((s, i) => recordsOf(i + 1, s)));
      const audit = buildAudit(files, { since: new Date(SINCE), until: new Date(UNTIL) });
      expect(audit.unreadable).toEqual([]);
      expect(audit.totals).toEqual(countFromFiles(files));
      expect(audit.rows).toHaveLength(audit.totals.requests);
    }),
    { numRuns: 200 },
  );
});

test('facts from pull requests fill in who asked, but never change a figure', () => {
  fc.assert(
    fc.property(fc.array(storyArb, { maxLength: 15 }), fc.string(), (stories, author) => {
      const files = logOf(stories.flatMap((s, i) => recordsOf(i + 1, s)));
      const period = { since: new Date(SINCE), until: new Date(UNTIL) };
      const facts = new Map(stories.map((_, i) => [i + 1, { author: author || 'someone' }]));
      expect(buildAudit(files, period, facts).totals).toEqual(buildAudit(files, period).totals);
    }),
    { numRuns: 50 },
  );
});
