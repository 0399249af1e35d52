import { readFileSync } from 'node:fs';
import { runRunbook } from '../../src/runbook/engine.js';
import type { RunbookResult } from '../../src/runbook/model.js';
import { bind, parseRunbook } from '../../src/runbook/parse.js';
import { filesSource } from '../../src/runbook/sources/files.js';
import { ALICE, NOW, fixtureRoot } from '../fixtures/cloudtrail/dataset.js';
import { aliceIn, allRecords, countBy } from './reference.js';

const REQUESTED = ['logs:GetLogEvents', 's3:GetObject', 'ec2:RunInstances', 'dynamodb:*'];

async function run(): Promise<RunbookResult> {
  const parsed = parseRunbook(readFileSync('runbooks/requester-context.yaml', 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const bound = bind(parsed.value, { principal: ALICE, requested_actions: REQUESTED });
  if (!bound.ok) throw new Error(JSON.stringify(bound.problems));
  return runRunbook(bound.value, filesSource({ root: fixtureRoot }), NOW);
}

const FROM = new Date(NOW.getTime() - 30 * 86_400_000);
const records = allRecords(fixtureRoot);
const mine = aliceIn(records, ALICE, FROM, NOW);
let result: RunbookResult;
beforeAll(async () => {
  result = await run();
});
const rowsOf = (id: string) => result.results.find((r) => r.id === id)!.rows;

test('the output has the documented shape', () => {
  expect(Object.keys(result)).toEqual(['runbook', 'window', 'results']);
  expect(result.runbook).toBe('requester-context');
  expect(result.window).toEqual({ from: FROM.toISOString(), to: NOW.toISOString() });
  for (const r of result.results) {
    expect(Object.keys(r)).toEqual(['id', 'title', 'total', 'rows']);
    expect(r.total!.rows).toBeGreaterThanOrEqual(r.rows.length);
    for (let i = 1; i < r.rows.length; i++)
      expect(r.rows[i - 1]!.count).toBeGreaterThanOrEqual(r.rows[i]!.count);
  }
});

test('totals and the daily series match the reference count', () => {
  expect(mine.length).toBeGreaterThan(500); // the fixture is not trivially small
  const [total] = rowsOf('daily');
  expect(total!.count).toBe(mine.length);
  const perDay = Object.fromEntries(countBy(mine, (r) => r.eventTime.slice(0, 10)));
  const series = total!.series as Record<string, number>;
  expect(Object.keys(series)).toHaveLength(31); // 1 March 12:00 to 31 March 12:00 touches 31 days
  for (const [day, n] of Object.entries(series)) expect(n).toBe(perDay[day] ?? 0);
});

test('top services and actions match the reference', () => {
  expect(rowsOf('services').map((r) => [r.eventSource, r.count])).toEqual(
    countBy(mine, (r) => r.eventSource).slice(0, 10),
  );
  expect(rowsOf('actions').map((r) => [`${r.eventSource} ${r.eventName}`, r.count])).toEqual(
    countBy(mine, (r) => `${r.eventSource} ${r.eventName}`).slice(0, 15),
  );
});

test('errors and access denied match the reference', () => {
  const failed = mine.filter((r) => r.errorCode);
  expect(rowsOf('errors').reduce((n, r) => n + r.count, 0)).toBe(failed.length);
  const denied = failed.filter((r) => /AccessDenied|UnauthorizedOperation/.test(r.errorCode));
  expect(rowsOf('access-denied').map((r) => [`${r.eventName} ${r.errorCode}`, r.count])).toEqual(
    countBy(denied, (r) => `${r.eventName} ${r.errorCode}`),
  );
});

test('first-seen regions, IPs and agents: new means none in the first 23 days', () => {
  const recent = NOW.getTime() - 7 * 86_400_000;
  const expectNew = (field: string, id: string) => {
    const first: Record<string, string> = {};
    for (const r of mine)
      if (!first[r[field]] || r.eventTime < first[r[field]]!) first[r[field]] = r.eventTime;
    const rows = rowsOf(id);
    expect(Object.fromEntries(rows.map((r) => [r[field], r.firstSeen]))).toEqual(first);
    expect(
      rows
        .filter((r) => r.new)
        .map((r) => r[field])
        .sort(),
    ).toEqual(
      Object.keys(first)
        .filter((k) => Date.parse(first[k]!) >= recent)
        .sort(),
    );
  };
  expectNew('awsRegion', 'regions');
  expectNew('sourceIPAddress', 'source-ips');
  expectNew('userAgent', 'user-agents');
  expect(
    rowsOf('regions')
      .filter((r) => r.new)
      .map((r) => r.awsRegion),
  ).toEqual(['ap-southeast-2']);
});

test('console sign-ins by MFA and outcome match the reference', () => {
  const logins = mine.filter((r) => r.eventName === 'ConsoleLogin');
  expect(
    rowsOf('console-logins').map((r) => [
      `${r['additionalEventData.MFAUsed']} ${r['responseElements.ConsoleLogin']}`,
      r.count,
    ]),
  ).toEqual(
    countBy(logins, (r) => `${r.additionalEventData.MFAUsed} ${r.responseElements.ConsoleLogin}`),
  );
});

test('the earlier JIT grant, and what was called while it was attached', () => {
  const attach = records.find((r) => r.eventName === 'AttachUserPolicy')!;
  const detach = records.find((r) => r.eventName === 'DetachUserPolicy')!;
  const during = mine.filter(
    (r) => r.eventTime >= attach.eventTime && r.eventTime <= detach.eventTime,
  );
  const [grant, ...others] = rowsOf('jit-grants');
  expect(others).toEqual([]);
  expect(grant).toMatchObject({
    policyArn: attach.requestParameters.policyArn,
    attachedAt: attach.eventTime,
    detachedAt: detach.eventTime,
    count: during.length,
  });
  // Action names are IAM's (src/revoke/usage.ts maps event names that differ, e.g. S3's
  // ListObjects is s3:ListBucket), so only the counts are compared with the reference here.
  const actions = grant!.actions as { action: string; count: number }[];
  expect(actions.map((a) => a.count)).toEqual(
    countBy(during, (r) => `${r.eventSource} ${r.eventName}`).map(([, n]) => n),
  );
  expect(actions[0]).toEqual({
    action: 'logs:GetLogEvents',
    count: during.filter((r) => r.eventName === 'GetLogEvents').length,
  });
  expect(during.filter((r) => r.eventName === 'GetLogEvents' && !r.errorCode)).toHaveLength(6);
});

test('requested actions: used, denied, never called', () => {
  const calls = (source: string, name: string) =>
    mine.filter((r) => r.eventSource === source && r.eventName === name);
  const status = Object.fromEntries(rowsOf('requested-actions').map((r) => [r.action, r]));
  const logs = calls('logs.amazonaws.com', 'GetLogEvents');
  expect(status['logs:GetLogEvents']).toMatchObject({
    status: 'used',
    used: logs.filter((r) => !r.errorCode).length,
    denied: logs.filter((r) => r.errorCode).length,
    count: logs.length,
  });
  expect(status['ec2:RunInstances']).toMatchObject({
    status: 'denied',
    used: 0,
    count: calls('ec2.amazonaws.com', 'RunInstances').length,
  });
  expect(status['dynamodb:*']).toEqual({
    action: 'dynamodb:*',
    status: 'not-used',
    used: 0,
    denied: 0,
    lastUsed: null,
    count: 0,
  });
});

test('risk flags are raised from the rows above', () => {
  const flags = Object.fromEntries(rowsOf('risk-flags').map((r) => [r.flag, r]));
  const noMfa = mine.filter(
    (r) => r.eventName === 'ConsoleLogin' && r.additionalEventData.MFAUsed === 'No',
  );
  expect(flags['console-login-without-mfa']?.count ?? 0).toBe(noMfa.length);
  expect(flags['new-region']).toMatchObject({ rows: 1 });
  expect(flags['requested-never-used']).toMatchObject({ rows: 1, count: 0 });
  expect(flags['requested-denied-before']).toMatchObject({ rows: 1 });
});
