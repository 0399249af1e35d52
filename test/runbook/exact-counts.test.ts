/**
 * Every figure a reviewer reads is exact, or says it is the top N of M: a generated trail with
 * more groups than any `top` of the default runbook (40 refused actions, 33 services, 26 user
 * agents, 58 failed actions), counted here with plain filters, independent of the engine.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AthenaClient } from '@aws-sdk/client-athena';
import type { AwsEmulator } from '../../emulators/aws/server.js';
import { renderRunbookReport } from '../../src/report/runbook.js';
import { runRunbook } from '../../src/runbook/engine.js';
import type { QueryResult, RunbookResult } from '../../src/runbook/model.js';
import { bind, parseRunbook } from '../../src/runbook/parse.js';
import { runRunbookAthena } from '../../src/runbook/sources/athena.js';
import { filesSource } from '../../src/runbook/sources/files.js';
import { startAt } from '../emulators/aws/world.js';
import { countBy, type Rec } from './reference.js';

const ACCOUNT = '111122223333';
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const BROKER = `arn:aws:sts::${ACCOUNT}:assumed-role/jit-broker/grant`;
const NOW = new Date('2026-03-31T12:00:00Z');
const at = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const DAY = 86_400_000;

/** Alice's calls, a minute apart from 20 days before NOW, and a broker's grant to her. */
function trail(): Rec[] {
  const records: Rec[] = [];
  let clock = NOW.getTime() - 20 * DAY;
  const call = (fields: Rec): void => {
    clock += 60_000;
    records.push({
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', arn: ALICE, accountId: ACCOUNT, userName: 'alice' },
      eventTime: at(clock),
      awsRegion: 'eu-west-1',
      sourceIPAddress: '192.0.2.10',
      userAgent: 'aws-cli/2.15',
      recipientAccountId: ACCOUNT,
      ...fields,
    });
  };
  // 40 actions refused, action i i+1 times: 820 refused calls in 40 groups.
  for (let i = 0; i < 40; i++)
    for (let k = 0; k <= i; k++)
      call({
        eventSource: `svc${i % 30}.amazonaws.com`,
        eventName: `Denied${i}`,
        errorCode: i % 2 ? 'AccessDenied' : 'Client.UnauthorizedOperation',
      });
  // 18 other error codes, on 18 actions.
  for (let i = 0; i < 18; i++)
    for (let k = 0; k < 3; k++)
      call({ eventSource: 's3.amazonaws.com', eventName: `Get${i}`, errorCode: `NoSuch${i}` });
  // 25 user agents: the odd ones first seen in the last 7 days (new), the even ones before.
  for (let i = 0; i < 25; i++) {
    const saved = clock;
    if (i % 2) clock = NOW.getTime() - 3 * DAY + i * 60_000;
    for (let k = 0; k < 2; k++)
      call({
        eventSource: 'sts.amazonaws.com',
        eventName: 'GetCallerIdentity',
        userAgent: `ua/${i}`,
      });
    clock = saved;
  }
  // A JIT grant during which alice called 12 actions, more than a report cell lists.
  const attachedAt = NOW.getTime() - DAY;
  records.push({
    eventVersion: '1.08',
    userIdentity: { type: 'AssumedRole', arn: BROKER, accountId: ACCOUNT },
    eventTime: at(attachedAt),
    eventSource: 'iam.amazonaws.com',
    eventName: 'AttachUserPolicy',
    awsRegion: 'us-east-1',
    requestParameters: {
      userName: 'alice',
      policyArn: `arn:aws:iam::${ACCOUNT}:policy/jit/pr-7`,
    },
    recipientAccountId: ACCOUNT,
  });
  clock = attachedAt;
  for (let i = 0; i < 12; i++) call({ eventSource: 'logs.amazonaws.com', eventName: `Read${i}` });
  return records;
}

const records = trail();
const mine = records.filter((r) => r.userIdentity.arn === ALICE);
const refused = mine.filter((r) => /AccessDenied|UnauthorizedOperation/.test(r.errorCode ?? ''));

function runbook() {
  const parsed = parseRunbook(readFileSync('runbooks/requester-context.yaml', 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const bound = bind(parsed.value, { principal: ALICE });
  if (!bound.ok) throw new Error(JSON.stringify(bound.problems));
  return bound.value;
}

let root: string;
let result: RunbookResult;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'jit-exact-'));
  const dir = join(root, `AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/2026/03/11`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'trail.json.gz'), gzipSync(JSON.stringify({ Records: records })));
  result = await runRunbook(runbook(), filesSource({ root }), NOW);
});
const resultOf = (id: string): QueryResult => result.results.find((r) => r.id === id)!;
const flag = (id: string) => resultOf('risk-flags').rows.find((r) => r.flag === id);

test('the trail has more groups than any top of the runbook', () => {
  expect(countBy(refused, (r) => `${r.eventSource} ${r.eventName} ${r.errorCode}`)).toHaveLength(
    40,
  );
  expect(countBy(mine, (r) => r.eventSource).length).toBeGreaterThan(10);
  expect(countBy(mine, (r) => r.userAgent).length).toBeGreaterThan(20);
});

test('the refused-calls flag counts every refused call, not the top rows', () => {
  expect(refused).toHaveLength(820);
  expect(flag('access-denied')).toMatchObject({ rows: 40, count: 820 });
  const denied = resultOf('access-denied');
  expect(denied.rows).toHaveLength(15);
  expect(denied.total).toEqual({ rows: 40, count: 820 });
});

test('flags matching some rows match among all of them', () => {
  const recent = NOW.getTime() - 7 * DAY;
  const first = new Map<string, number>();
  for (const r of mine)
    first.set(r.userAgent, Math.min(first.get(r.userAgent) ?? Infinity, Date.parse(r.eventTime)));
  const fresh = [...first].filter(([, ms]) => ms >= recent).map(([ua]) => ua);
  expect(fresh).toHaveLength(12);
  expect(flag('new-user-agent')).toMatchObject({
    rows: 12,
    count: mine.filter((r) => fresh.includes(r.userAgent)).length,
  });
});

test('every group query’s total is the count of all its records and groups', () => {
  const expectTotal = (id: string, subset: Rec[], key: (r: Rec) => string) => {
    const groups = countBy(subset, key);
    expect([id, resultOf(id).total]).toEqual([id, { rows: groups.length, count: subset.length }]);
    expect(resultOf(id).rows.map((r) => r.count)).toEqual(
      groups.slice(0, resultOf(id).rows.length).map(([, n]) => n),
    );
  };
  expectTotal('daily', mine, () => '');
  expectTotal('services', mine, (r) => r.eventSource);
  expectTotal('actions', mine, (r) => `${r.eventSource} ${r.eventName}`);
  expectTotal(
    'errors',
    mine.filter((r) => r.errorCode),
    (r) => `${r.eventSource} ${r.eventName} ${r.errorCode}`,
  );
  expectTotal('user-agents', mine, (r) => r.userAgent);
});

test('the report says top N of M and the exact total wherever rows were cut', () => {
  const md = renderRunbookReport(result, { principal: ALICE });
  expect(md).toContain(`**${mine.length}** events`);
  expect(md).toContain('<summary>Access denied (what was tried) (top 15 of 40)</summary>');
  const shownDenied = resultOf('access-denied').rows.reduce((n, r) => n + r.count, 0);
  expect(md).toContain(`Top 15 of 40 rows shown, counting ${shownDenied} of 820 in all.`);
  expect(md).toContain('<summary>Top services (top 10 of 33)</summary>');
  expect(md).toContain('| `access-denied` | `Calls refused for lack of permission` | 40 | 820 |');
  // The grant's 12 actions: 10 listed, the rest said to exist, the count all of them.
  expect(md).toContain('`logs:Read7` ×1, and 2 more actions | 12 |');
  expect(md).toContain('<summary>Regions (1)</summary>');
});

describe('Athena', () => {
  let emu: AwsEmulator;
  beforeAll(async () => {
    emu = await startAt(NOW);
    emu.state.cloudtrail.seed(records as never);
  });
  afterAll(() => emu.close());

  test('cuts and totals exactly as the files source', async () => {
    const fromAthena = await runRunbookAthena(
      runbook(),
      {
        client: new AthenaClient({ ...emu.clientConfig(), maxAttempts: 1 }),
        table: 'default.cloudtrail_logs',
        outputLocation: 's3://athena-results/jit/',
        sleep: async () => {},
      },
      NOW,
    );
    expect(JSON.stringify(fromAthena)).toBe(JSON.stringify(result));
  });
});
