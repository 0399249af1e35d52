import { parseRecordPath, type DecisionRecord, type RecordedUsage } from '../record/record.js';

/**
 * The audit of a period, computed from the decision log's records alone: every figure can be
 * recomputed by anyone who can read the `jit-log` branch. Facts read from pull requests only fill
 * in who asked when an older record does not say; they are never counted.
 */

/** A record as read from the log: its path (which names its PR, sequence and kind) and its text. */
export interface RawRecord {
  path: string;
  text: string;
}

export interface AuditPeriod {
  /** Inclusive. */
  since: Date;
  /** Exclusive; records from this time on are not read, so a past period's report never changes. */
  until: Date;
}

/** What a pull request says of who asked, for rows whose record predates `asked`. */
export interface PrFact {
  author?: string;
}

export type AuditOutcome =
  /** Granted and its window had not ended at `until`. */
  | 'live'
  /** Granted and ran its course (removed by the sweep, or its window over and removal pending). */
  | 'expired'
  /** Granted and ended early by a `/revoke`. */
  | 'revoked'
  /** Granted, then replaced by the grant of another PR that extends it (decision 025). */
  | 'extended'
  | 'refused'
  /** Its window ended before it could be granted. */
  | 'expired-before-grant';

export type AuditUsage =
  | { recorded: true; usage: RecordedUsage }
  /** The grant was removed, but its record holds no usage (older record, or no report). */
  | { recorded: false }
  /** Nothing to measure: not granted, or not removed yet. */
  | undefined;

export interface AuditRow {
  pr: number;
  requestId?: string;
  /** When the request was decided (granted, refused or expired). */
  decidedAt: string;
  requester?: string;
  /** `record`: the log says so; `pull-request`: the PR's author, for a record that does not. */
  requesterFrom?: 'record' | 'pull-request';
  reason?: string;
  ticket?: string;
  approvers: string[];
  /** The merge commit the request was read at. */
  commit?: string;
  headSha?: string;
  account?: string;
  accountId?: string;
  backend?: 'iam' | 'identity-center';
  principal?: string;
  profile?: string;
  actions?: string[];
  policyArn?: string;
  window?: { start: string; expiry: string };
  outcome: AuditOutcome;
  /** When the grant was removed from AWS, if it was before `until`. */
  removedAt?: string;
  /** Who ended it early and when (a removal for `early` without a `revoked` record has no `by`). */
  revoked?: { by?: string; at: string };
  refusal?: { codes: string[]; reasons: string[] };
  /** The PR whose grant replaced this one, and its request id when its record is in the period's log. */
  extendedBy?: { pr: number; requestId?: string };
  /** The grant this one extends, and when the chain began (decision 025). */
  extends?: { requestId: string; pr?: number; chainStart?: string };
  breakGlass?: AuditBreakGlass;
  /** `/revoke` comments that were answered but not honoured. */
  revokeRefused: { by: string; reason: string; at: string }[];
  usage: AuditUsage;
}

/** A break-glass grant (decision 026): who took it, and what its retro review said by `until`. */
export interface AuditBreakGlass {
  by: string;
  retroDue: string;
  /** `pending`: no verdict recorded yet. */
  retro: 'approved' | 'missed' | 'pending';
  retroAt?: string;
  /** Whose approval counted, for `approved`. */
  retroApprovers?: string[];
}

/** A record that could not be read as what its path says it is: reported, never guessed at. */
export interface UnreadableRecord {
  path: string;
  why: string;
}

export interface AuditTotals {
  requests: number;
  granted: number;
  refused: number;
  expiredBeforeGrant: number;
  live: number;
  expired: number;
  revoked: number;
  /** Grants replaced by an extension, and grants that extend another. */
  extended: number;
  extensions: number;
  /** Break-glass grants, and their retro reviews' verdicts. */
  breakGlass: number;
  retroApproved: number;
  retroMissed: number;
  retroPending: number;
  /** Answered `/revoke` comments that were not honoured. */
  revokeRefused: number;
  /** Refusals per problem code (a refusal with two codes counts once under each). */
  refusalCodes: Record<string, number>;
  /** Grants per account alias. */
  grantsByAccount: Record<string, number>;
  /** Ended grants whose record holds a usage report, and those whose does not. */
  usageRecorded: number;
  usageNotRecorded: number;
  /** Summed over the recorded usage reports. */
  calls: number;
  deniedCalls: number;
}

export interface Audit {
  period: { since: string; until: string };
  rows: AuditRow[];
  totals: AuditTotals;
  unreadable: UnreadableRecord[];
}

interface Parsed {
  seq: number;
  record: DecisionRecord;
}

/** Reads the records, groups them per PR and builds one row per request decided in the period. */
export function buildAudit(
  records: readonly RawRecord[],
  period: AuditPeriod,
  facts: ReadonlyMap<number, PrFact> = new Map(),
): Audit {
  const unreadable: UnreadableRecord[] = [];
  const byPr = new Map<number, Parsed[]>();
  for (const raw of records) {
    const read = readRecord(raw);
    if (!read.ok) {
      if (read.why) unreadable.push({ path: raw.path, why: read.why });
      continue;
    }
    // As of `until`: what was recorded later is not part of this period's story.
    if (Date.parse(read.record.at) >= period.until.getTime()) continue;
    const list = byPr.get(read.record.pr) ?? [];
    list.push({ seq: read.seq, record: read.record });
    byPr.set(read.record.pr, list);
  }
  for (const list of byPr.values()) list.sort((a, b) => a.seq - b.seq);
  const rows: AuditRow[] = [];
  for (const [pr, list] of byPr) {
    for (const part of perAccount(list)) {
      const row = rowOf(pr, part, period, facts.get(pr), byPr);
      if (row) rows.push(row);
    }
  }
  rows.sort((a, b) => a.decidedAt.localeCompare(b.decidedAt) || a.pr - b.pr);
  return {
    period: { since: period.since.toISOString(), until: period.until.toISOString() },
    rows,
    totals: totalsOf(rows),
    unreadable,
  };
}

const DECISIONS = new Set(['granted', 'refused', 'expired']);

/**
 * A PR's records as one story per account when its request names several (decision 027): each
 * account's own records, with those about the whole PR (a refusal, a `/revoke`) in every story.
 */
function perAccount(list: Parsed[]): Parsed[][] {
  const accounts = new Set(list.flatMap((p) => (p.record.target ? [p.record.target.account] : [])));
  if (accounts.size === 0) return [list];
  return [...accounts].map((a) =>
    list.filter((p) => !p.record.target || p.record.target.account === a),
  );
}

function rowOf(
  pr: number,
  list: Parsed[],
  period: AuditPeriod,
  fact: PrFact | undefined,
  byPr: ReadonlyMap<number, Parsed[]>,
): AuditRow | undefined {
  // The first decision is the one that counts: a final record is never followed by another
  // decision, except when two concurrent runs both wrote theirs.
  const decision = list.find((p) => DECISIONS.has(p.record.kind))?.record;
  if (!decision) return undefined;
  const at = Date.parse(decision.at);
  if (at < period.since.getTime() || at >= period.until.getTime()) return undefined;
  const revokeRefused = list.flatMap(({ record: r }) =>
    r.kind === 'revoke-refused' ? [{ by: r.by, reason: r.reason, at: r.at }] : [],
  );
  const base = { pr, decidedAt: decision.at, revokeRefused, approvers: [] as string[] };
  const requesterOf = (asked: string | undefined) =>
    asked !== undefined
      ? { requester: asked, requesterFrom: 'record' as const }
      : fact?.author
        ? { requester: fact.author, requesterFrom: 'pull-request' as const }
        : {};

  if (decision.kind === 'refused') {
    return {
      ...base,
      ...(decision.requestId ? { requestId: decision.requestId } : {}),
      ...requesterOf(decision.asked?.requester),
      ...askedText(decision.asked),
      outcome: 'refused',
      refusal: { codes: [...decision.codes], reasons: [...decision.reasons] },
      usage: undefined,
    };
  }
  if (decision.kind === 'expired') {
    return {
      ...base,
      requestId: decision.requestId,
      ...requesterOf(decision.asked?.requester),
      ...askedText(decision.asked),
      window: { ...decision.window },
      outcome: 'expired-before-grant',
      usage: undefined,
    };
  }
  if (decision.kind !== 'granted') return undefined;
  const g = decision;
  const revokedRecord = list.find((p) => p.record.kind === 'revoked')?.record;
  const removed = list.find((p) => p.record.kind === 'removed')?.record;
  const removal = removed?.kind === 'removed' ? removed : undefined;
  const early = revokedRecord?.kind === 'revoked' || removal?.reason === 'early';
  const windowOver = Date.parse(g.window.expiry) <= period.until.getTime();
  const outcome: AuditOutcome = early
    ? 'revoked'
    : removal?.reason === 'extended'
      ? 'extended'
      : removal || windowOver
        ? 'expired'
        : 'live';
  const extendedBy =
    removal?.reason === 'extended' && removal.extendedBy !== undefined
      ? { pr: removal.extendedBy, ...grantedId(byPr.get(removal.extendedBy)) }
      : undefined;
  const revoked =
    revokedRecord?.kind === 'revoked'
      ? { by: revokedRecord.by, at: revokedRecord.at }
      : removal?.reason === 'early'
        ? { at: removal.at }
        : undefined;
  return {
    ...base,
    requestId: g.requestId,
    ...requesterOf(g.requester),
    ...(g.reason !== undefined ? { reason: g.reason } : {}),
    ...(g.ticket !== undefined ? { ticket: g.ticket } : {}),
    approvers: [...g.approvers],
    commit: g.commit,
    headSha: g.headSha,
    account: g.account,
    accountId: g.accountId,
    backend: g.backend ?? 'iam',
    principal: g.principal,
    ...(g.profile !== undefined ? { profile: g.profile } : {}),
    ...(g.actions !== undefined ? { actions: [...g.actions] } : {}),
    policyArn: g.policyArn,
    window: { ...g.window },
    outcome,
    ...(removal ? { removedAt: removal.at } : {}),
    ...(revoked ? { revoked } : {}),
    ...(extendedBy ? { extendedBy } : {}),
    ...(g.extends !== undefined
      ? {
          extends: {
            requestId: g.extends,
            ...(g.extendsPr !== undefined ? { pr: g.extendsPr } : {}),
            ...(g.chainStart !== undefined ? { chainStart: g.chainStart } : {}),
          },
        }
      : {}),
    ...(g.breakGlass ? { breakGlass: breakGlassOf(g.breakGlass, list) } : {}),
    usage: removal
      ? removal.usage
        ? { recorded: true, usage: removal.usage }
        : { recorded: false }
      : undefined,
  };
}

/** The request id of a PR's `granted` record, if the log holds one before `until`. */
function grantedId(list: Parsed[] | undefined): { requestId?: string } {
  const g = list?.find((p) => p.record.kind === 'granted')?.record;
  return g?.requestId !== undefined ? { requestId: g.requestId } : {};
}

/** The first retro verdict counts: a late approval never undoes a miss (decision 026). */
function breakGlassOf(bg: { by: string; retroDue: string }, list: Parsed[]): AuditBreakGlass {
  const verdict = list.find(
    (p) => p.record.kind === 'retro-approved' || p.record.kind === 'retro-missed',
  )?.record;
  const base = { by: bg.by, retroDue: bg.retroDue };
  if (verdict?.kind === 'retro-approved')
    return {
      ...base,
      retro: 'approved',
      retroAt: verdict.at,
      retroApprovers: [...verdict.approvers],
    };
  if (verdict?.kind === 'retro-missed') return { ...base, retro: 'missed', retroAt: verdict.at };
  return { ...base, retro: 'pending' };
}

const askedText = (asked: { reason: string; ticket?: string } | undefined) =>
  asked ? { reason: asked.reason, ...(asked.ticket ? { ticket: asked.ticket } : {}) } : {};

export function totalsOf(rows: readonly AuditRow[]): AuditTotals {
  const t: AuditTotals = {
    requests: rows.length,
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
    refusalCodes: {},
    grantsByAccount: {},
    usageRecorded: 0,
    usageNotRecorded: 0,
    calls: 0,
    deniedCalls: 0,
  };
  for (const row of rows) {
    t.revokeRefused += row.revokeRefused.length;
    if (row.outcome === 'refused') {
      t.refused++;
      for (const c of row.refusal?.codes ?? []) t.refusalCodes[c] = (t.refusalCodes[c] ?? 0) + 1;
      continue;
    }
    if (row.outcome === 'expired-before-grant') {
      t.expiredBeforeGrant++;
      continue;
    }
    t.granted++;
    t[row.outcome]++;
    if (row.extends) t.extensions++;
    if (row.breakGlass) {
      t.breakGlass++;
      if (row.breakGlass.retro === 'approved') t.retroApproved++;
      else if (row.breakGlass.retro === 'missed') t.retroMissed++;
      else t.retroPending++;
    }
    const account = row.account ?? 'unknown';
    t.grantsByAccount[account] = (t.grantsByAccount[account] ?? 0) + 1;
    if (row.usage?.recorded) {
      t.usageRecorded++;
      t.calls += row.usage.usage.used.reduce((n, u) => n + u.calls, 0);
      t.deniedCalls += row.usage.usage.denied.reduce((n, d) => n + d.calls, 0);
    } else if (row.usage) t.usageNotRecorded++;
  }
  return t;
}

/**
 * One record, checked against its path: it must be JSON of format version 1 whose PR and kind are
 * the ones its path names. A path that is not a record (the README) is skipped silently.
 */
function readRecord(
  raw: RawRecord,
): { ok: true; seq: number; record: DecisionRecord } | { ok: false; why?: string } {
  const entry = parseRecordPath(raw.path);
  if (!entry) return { ok: false };
  let value: unknown;
  try {
    value = JSON.parse(raw.text);
  } catch {
    return { ok: false, why: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null) return { ok: false, why: 'not a JSON object' };
  const r = value as Partial<DecisionRecord> & Record<string, unknown>;
  if (r.v !== 1) return { ok: false, why: `format version ${String(r.v)}, not 1` };
  if (r.pr !== entry.pr) return { ok: false, why: `says PR ${String(r.pr)}, its path ${entry.pr}` };
  if (r.kind !== entry.kind)
    return { ok: false, why: `says kind ${String(r.kind)}, its path ${entry.kind}` };
  if (typeof r.at !== 'string' || Number.isNaN(Date.parse(r.at)))
    return { ok: false, why: 'no valid time (at)' };
  const missing = REQUIRED[entry.kind].filter((f) => r[f] === undefined);
  if (missing.length > 0) return { ok: false, why: `no ${missing.join(', ')}` };
  const bg = r.breakGlass as Record<string, unknown> | undefined;
  if (bg !== undefined && (typeof bg?.by !== 'string' || typeof bg.retroDue !== 'string'))
    return { ok: false, why: 'breakGlass without by or retroDue' };
  // The path is what the index reads: its account (decision 027) is the one that counts.
  const record = r as DecisionRecord;
  return {
    ok: true,
    seq: entry.seq,
    record: entry.target ? { ...record, target: entry.target } : record,
  };
}

/** The fields a row reads without a fallback, per kind. */
const REQUIRED: Record<DecisionRecord['kind'], string[]> = {
  granted: [
    'requestId',
    'requester',
    'account',
    'accountId',
    'principal',
    'policyArn',
    'window',
    'commit',
    'headSha',
    'approvers',
  ],
  refused: ['codes', 'reasons'],
  expired: ['requestId', 'window'],
  revoked: ['by'],
  'revoke-refused': ['by', 'reason'],
  removed: ['reason'],
  skipped: [],
  reminded: ['requestId', 'expiry'],
  'break-glass-refused': ['by', 'reason'],
  'retro-approved': ['approvers'],
  'retro-missed': ['due'],
};
