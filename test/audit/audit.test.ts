/**
 * What the audit says of each request, from records as the grant reconciler and the revoke sweep
 * write them (and as older versions wrote them), and how each format carries hostile text.
 */
import { buildAudit, type RawRecord } from '../../src/audit/audit.js';
import { csvCell, renderAudit } from '../../src/audit/render.js';
import type { DecisionRecord } from '../../src/record/record.js';
import { outsideCode, renderGfmWithHtml } from '../report/render.js';
import { grantedRecord, iso, logOf } from './records.js';

const SINCE = new Date('2026-11-01T00:00:00Z');
const UNTIL = new Date('2026-12-01T00:00:00Z');
const period = { since: SINCE, until: UNTIL };
const T = Date.parse('2026-11-25T09:00:00Z');
const H = 3600_000;
const source = { repository: 'acme/access', branch: 'jit-log', records: 0 };

const HOSTILE = 'fix | <img src=x onerror=alert(1)> @acme/security #1 `x` =cmd|calc';

const usage = {
  source: 'lookup-events' as const,
  events: 14,
  used: [{ action: 's3:GetObject', calls: 11, failed: 1 }],
  denied: [{ action: 's3:PutObject', calls: 2, errorCode: 'AccessDenied' }],
  unused: ['s3:ListBucket'],
};

const story: DecisionRecord[] = [
  grantedRecord(12, T, {
    reason: HOSTILE,
    ticket: 'INC-4211',
    profile: 's3-logs-read',
    actions: ['s3:GetObject', 's3:ListBucket'],
  }),
  {
    v: 1,
    pr: 12,
    at: iso(T + 10 * 60_000),
    kind: 'revoke-refused',
    by: 'mallory',
    commentId: 5,
    reason: 'mallory may not approve this access',
  },
  { v: 1, pr: 12, at: iso(T + H), kind: 'revoked', by: 'sre-carol', commentId: 6 },
  {
    v: 1,
    pr: 12,
    at: iso(T + H + 60_000),
    kind: 'removed',
    requestId: 'req-12',
    policyArn: 'arn:aws:iam::123456789012:policy/jit/jit-req-12',
    reason: 'early',
    detached: ['octocat'],
    usage,
  },
  // Written before decision 021: no reason, no usage, no `asked`.
  grantedRecord(13, T + 2 * H),
  {
    v: 1,
    pr: 13,
    at: iso(T + 4 * H + 60_000),
    kind: 'removed',
    requestId: 'req-13',
    policyArn: 'arn:aws:iam::123456789012:policy/jit/jit-req-13',
    reason: 'expired',
    detached: ['octocat'],
  },
  {
    v: 1,
    pr: 14,
    at: iso(T + 3 * H),
    kind: 'refused',
    codes: ['APPROVALS_MISSING'],
    reasons: ['needs 1 approval from acme/sre; has 0'],
  },
  {
    v: 1,
    pr: 15,
    at: iso(T + 3 * H),
    kind: 'expired',
    requestId: 'late',
    window: { start: iso(T - 5 * H), expiry: iso(T - 3 * H) },
    asked: { requester: 'hubot', reason: 'weekend fix' },
  },
  { v: 1, pr: 16, at: iso(T + 3 * H), kind: 'skipped', reason: 'adds no request file' },
  // Outside the period: before it, and decided after its end.
  grantedRecord(10, Date.parse('2026-10-31T23:00:00Z')),
  grantedRecord(17, Date.parse('2026-12-01T00:00:00Z')),
  // Decided in the period, still live at its end.
  grantedRecord(18, UNTIL.getTime() - H),
];

test('one row per request decided in the period, with its whole story', () => {
  const audit = buildAudit(logOf(story), period, new Map([[14, { author: 'mallory' }]]));
  expect(audit.rows.map((r) => [r.pr, r.outcome])).toEqual([
    [12, 'revoked'],
    [13, 'expired'],
    [14, 'refused'],
    [15, 'expired-before-grant'],
    [18, 'live'],
  ]);
  const [revoked, old, refused, late, live] = audit.rows;
  expect(revoked).toMatchObject({
    requestId: 'req-12',
    requester: 'octocat',
    requesterFrom: 'record',
    reason: HOSTILE,
    ticket: 'INC-4211',
    approvers: ['sre-bob'],
    commit: 'c0ffee'.padEnd(40, '0'),
    account: 'prod',
    backend: 'iam',
    profile: 's3-logs-read',
    window: { start: iso(T), expiry: iso(T + 2 * H) },
    revoked: { by: 'sre-carol', at: iso(T + H) },
    removedAt: iso(T + H + 60_000),
    revokeRefused: [
      { by: 'mallory', reason: 'mallory may not approve this access', at: iso(T + 10 * 60_000) },
    ],
    usage: { recorded: true, usage },
  });
  expect(old).toMatchObject({ outcome: 'expired', usage: { recorded: false } });
  expect(old!.reason).toBeUndefined();
  expect(refused).toMatchObject({
    requester: 'mallory',
    requesterFrom: 'pull-request',
    refusal: { codes: ['APPROVALS_MISSING'], reasons: ['needs 1 approval from acme/sre; has 0'] },
  });
  expect(late).toMatchObject({ requester: 'hubot', reason: 'weekend fix' });
  expect(live).toMatchObject({ outcome: 'live', usage: undefined });
  expect(audit.totals).toEqual({
    requests: 5,
    granted: 3,
    refused: 1,
    expiredBeforeGrant: 1,
    live: 1,
    expired: 1,
    revoked: 1,
    extended: 0,
    extensions: 0,
    breakGlass: 0,
    retroApproved: 0,
    retroMissed: 0,
    retroPending: 0,
    revokeRefused: 1,
    refusalCodes: { APPROVALS_MISSING: 1 },
    grantsByAccount: { prod: 3 },
    usageRecorded: 1,
    usageNotRecorded: 1,
    calls: 11,
    deniedCalls: 2,
  });
});

test('a record that is not what its path says is reported, not counted', () => {
  const good = logOf([grantedRecord(20, T)]);
  const files: RawRecord[] = [
    ...good,
    { path: 'README.md', text: '# log' },
    { path: 'pr/21/0001-granted.json', text: '{ not json' },
    { path: 'pr/22/0001-granted.json', text: good[0]!.text },
    { path: 'pr/20/0002-removed.json', text: good[0]!.text },
    { path: 'pr/23/0001-refused.json', text: JSON.stringify({ v: 2, pr: 23, kind: 'refused' }) },
  ];
  const audit = buildAudit(files, period);
  expect(audit.unreadable).toEqual([
    { path: 'pr/21/0001-granted.json', why: 'not JSON' },
    { path: 'pr/22/0001-granted.json', why: 'says PR 20, its path 22' },
    { path: 'pr/20/0002-removed.json', why: 'says kind granted, its path removed' },
    { path: 'pr/23/0001-refused.json', why: 'format version 2, not 1' },
  ]);
  expect(audit.totals.requests).toBe(1);
  expect(renderAudit('md', audit, source)).toContain('## Records that could not be read');
});

describe('markdown', () => {
  const audit = buildAudit(logOf(story), period);
  const md = renderAudit('md', audit, source);
  const html = renderGfmWithHtml(md);

  test('untrusted text stays inside code spans: no HTML, mention, reference or new cell', () => {
    expect(html).not.toContain('<img');
    expect(outsideCode(html)).not.toMatch(/@acme|onerror/);
    const row = html.split('<tr>').find((r) => r.includes('#12'))!;
    expect(row.match(/<td/g)).toHaveLength(11);
  });

  test('what the record does not hold is said, not guessed', () => {
    const row = md.split('\n').find((l) => l.startsWith('| #13 '))!;
    expect(row).toContain('not recorded');
    expect(row).toContain('ended at expiry');
  });
});

/** RFC 4180, independently: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && ch === '"') quoted = false;
    else if (quoted) field += ch;
    else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('csv', () => {
  const reasons = [
    '=HYPERLINK("http://evil","x")',
    '+1+cmd',
    '-2',
    '@SUM(A1)',
    '\t=1',
    'a, "quoted"\nline',
    'plain',
  ];
  const records = reasons.map((reason, i) => grantedRecord(30 + i, T + i * 60_000, { reason }));
  const csv = renderAudit('csv', buildAudit(logOf(records), period), source);

  test('RFC 4180: one record per row, every field back as written', () => {
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(reasons.length + 1);
    const header = rows[0]!;
    expect(new Set(rows.map((r) => r.length))).toEqual(new Set([header.length]));
    const reasonAt = header.indexOf('reason');
    expect(rows.slice(1).map((r) => r[reasonAt]!.replace(/^'(?=[=+\-@\t])/, ''))).toEqual(reasons);
  });

  test('no cell a spreadsheet would run as a formula', () => {
    for (const row of parseCsv(csv).slice(1))
      for (const value of row) expect(value).not.toMatch(/^[=+\-@\t\r]/);
  });

  test.each([
    ['=1+1', "'=1+1"],
    ['-', "'-"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    [42, '42'],
  ])('cell %p is %p', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

test('json carries the rows and totals as computed', () => {
  const audit = buildAudit(logOf(story), period);
  const json = JSON.parse(renderAudit('json', audit, source)) as typeof audit;
  expect(json.totals).toEqual(audit.totals);
  expect(json.rows).toHaveLength(5);
});

describe('extensions and break-glass (decisions 025, 026)', () => {
  const bg = (at: number) => ({
    by: 'octocat',
    retroDue: iso(at + H),
    rule: { required: 1, approvers: ['sre-bob'] },
  });
  const chain: DecisionRecord[] = [
    grantedRecord(40, T),
    {
      v: 1,
      pr: 40,
      at: iso(T + H),
      kind: 'removed',
      requestId: 'req-40',
      policyArn: 'arn:aws:iam::123456789012:policy/jit/jit-req-40',
      reason: 'extended',
      extendedBy: 41,
      detached: ['octocat'],
    },
    grantedRecord(41, T + H, { extends: 'req-40', extendsPr: 40, chainStart: iso(T) }),
    grantedRecord(42, T + 2 * H, { approvers: [], commentId: 7, breakGlass: bg(T + 2 * H) }),
    {
      v: 1,
      pr: 42,
      at: iso(T + 3 * H),
      kind: 'retro-missed',
      requestId: 'req-42',
      due: iso(T + 3 * H),
      summary: 'no approval of the granted commit',
    },
    // A late approval after a miss never undoes it.
    {
      v: 1,
      pr: 42,
      at: iso(T + 4 * H),
      kind: 'retro-approved',
      requestId: 'req-42',
      approvers: ['sre-bob'],
    },
    grantedRecord(43, T + 5 * H, { approvers: [], commentId: 8, breakGlass: bg(T + 5 * H) }),
    {
      v: 1,
      pr: 43,
      at: iso(T + 5 * H + 60_000),
      kind: 'retro-approved',
      requestId: 'req-43',
      approvers: ['sre-bob'],
    },
    grantedRecord(44, T + 6 * H, { approvers: [], commentId: 9, breakGlass: bg(T + 6 * H) }),
  ];
  const audit = buildAudit(logOf(chain), period);
  const row = (pr: number) => audit.rows.find((r) => r.pr === pr)!;

  test('an extended grant says by which PR; its extension says what it extends', () => {
    expect(row(40)).toMatchObject({
      outcome: 'extended',
      extendedBy: { pr: 41, requestId: 'req-41' },
    });
    expect(row(41).extends).toEqual({ requestId: 'req-40', pr: 40, chainStart: iso(T) });
    expect(row(42).breakGlass).toEqual({
      by: 'octocat',
      retroDue: iso(T + 3 * H),
      retro: 'missed',
      retroAt: iso(T + 3 * H),
    });
    expect(row(43).breakGlass).toMatchObject({ retro: 'approved', retroApprovers: ['sre-bob'] });
    expect(row(44).breakGlass).toMatchObject({ retro: 'pending' });
    expect(audit.totals).toMatchObject({
      extended: 1,
      extensions: 1,
      breakGlass: 3,
      retroApproved: 1,
      retroMissed: 1,
      retroPending: 1,
    });
  });

  test('every format carries them', () => {
    const md = renderAudit('md', audit, source);
    expect(md.split('\n').find((l) => l.startsWith('| #40 '))).toContain(
      'extended by #41 (req-41)',
    );
    expect(md.split('\n').find((l) => l.startsWith('| #41 '))).toContain('req-40 (#40)');
    expect(md.split('\n').find((l) => l.startsWith('| #42 '))).toContain('retro review due');
    const [header, ...rows] = parseCsv(renderAudit('csv', audit, source));
    const col = (pr: number, name: string) =>
      rows.find((r) => r[0] === String(pr))![header!.indexOf(name)];
    expect(col(40, 'outcome')).toBe('extended');
    expect(col(40, 'extended_by_pr')).toBe('41');
    expect(col(41, 'extends_request')).toBe('req-40');
    expect(col(42, 'break_glass_by')).toBe('octocat');
    expect(col(42, 'retro')).toBe('missed');
    expect(col(43, 'retro_approvers')).toBe('sre-bob');
    const json = JSON.parse(renderAudit('json', audit, source)) as typeof audit;
    expect(json.rows.find((r) => r.pr === 40)?.extendedBy).toEqual({ pr: 41, requestId: 'req-41' });
    expect(json.totals.retroMissed).toBe(1);
  });
});

test('a request in several accounts is one row per account (decision 027)', () => {
  const target = (account: string) => ({ target: { account, of: 2 } });
  const records: DecisionRecord[] = [
    grantedRecord(50, T, target('prod')),
    grantedRecord(50, T + H / 2, {
      ...target('staging'),
      account: 'staging',
      accountId: '210987654321',
      policyArn: 'arn:aws:iam::210987654321:policy/jit/jit-req-50',
    }),
    {
      v: 1,
      pr: 50,
      at: iso(T + H),
      ...target('prod'),
      kind: 'removed',
      requestId: 'req-50',
      policyArn: 'arn:aws:iam::123456789012:policy/jit/jit-req-50',
      reason: 'expired',
      detached: ['octocat'],
    },
  ];
  const audit = buildAudit(logOf(records), { since: SINCE, until: new Date(T + 1.5 * H) });
  expect(audit.rows.map((r) => [r.pr, r.account, r.outcome])).toEqual([
    [50, 'prod', 'expired'],
    [50, 'staging', 'live'],
  ]);
});
