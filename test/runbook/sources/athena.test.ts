import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, type StartQueryExecutionCommandInput } from '@aws-sdk/client-athena';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { AwsEmulator } from '../../../emulators/aws/server.js';
import { runbookCommand } from '../../../src/cli/commands/runbook.js';
import { EXIT, UsageError, type CliIo } from '../../../src/cli/io.js';
import { runRunbook } from '../../../src/runbook/engine.js';
import type { EventSource } from '../../../src/runbook/event.js';
import type { GroupQuery, Runbook, Where } from '../../../src/runbook/model.js';
import { bind, parseRunbook } from '../../../src/runbook/parse.js';
import {
  athenaSource,
  runRunbookAthena,
  type AthenaOptions,
} from '../../../src/runbook/sources/athena.js';
import { filesSource } from '../../../src/runbook/sources/files.js';
import { lookupEventsSource } from '../../../src/runbook/sources/lookup-events.js';
import { RateLimiter } from '../../../src/runbook/sources/rate-limiter.js';
import { ACCOUNT, ALICE, NOW, fixtureRoot } from '../../fixtures/cloudtrail/dataset.js';
import { startAt } from '../../emulators/aws/world.js';
import { allRecords } from '../reference.js';
import { parsePrincipal } from '../../../src/runbook/principal.js';
import { managementOnly } from '../management-only.js';

const BROKER = `arn:aws:iam::${ACCOUNT}:role/jit-broker`;
const REGIONS = ['eu-west-1', 'ap-southeast-2', 'us-west-2'];

let emu: AwsEmulator;
let started: StartQueryExecutionCommandInput[];

beforeEach(async () => {
  emu = await startAt(NOW);
  emu.state.cloudtrail.seed(allRecords(fixtureRoot));
  started = [];
});
afterEach(() => emu.close());

function athena(overrides: Partial<AthenaOptions> = {}): AthenaOptions {
  const client = new AthenaClient({ ...emu.clientConfig(), maxAttempts: 1 });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'StartQueryExecutionCommand')
        started.push(args.input as StartQueryExecutionCommandInput);
      return next(args);
    },
    { step: 'initialize' },
  );
  return {
    client,
    table: 'default.cloudtrail_logs',
    outputLocation: 's3://athena-results/jit/',
    sleep: async () => {},
    ...overrides,
  };
}

function lookupEvents(): EventSource {
  return lookupEventsSource({
    regions: REGIONS,
    client: (region) => new CloudTrailClient({ ...emu.clientConfig(), region, maxAttempts: 1 }),
    limiter: () =>
      new RateLimiter(
        2,
        () => emu.clock.now().getTime(),
        async (ms) => emu.clock.advance(ms),
      ),
    now: () => NOW,
  });
}

function runbook(principal: string) {
  const parsed = parseRunbook(readFileSync('runbooks/requester-context.yaml', 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const bound = bind(parsed.value, {
    principal,
    requested_actions: ['logs:GetLogEvents', 'ec2:*'],
  });
  if (!bound.ok) throw new Error(JSON.stringify(bound.problems));
  return bound.value;
}

test.each([
  ['an IAM user', ALICE],
  ['a role (all its sessions)', BROKER],
])(
  'files and athena give identical JSON for %s, lookup-events that of its management events (default runbook)',
  async (_, principal) => {
    const fromFiles = await runRunbook(runbook(principal), filesSource({ root: fixtureRoot }), NOW);
    const fromAthena = await runRunbookAthena(runbook(principal), athena(), NOW);
    const fromApi = await runRunbook(runbook(principal), lookupEvents(), NOW);
    expect(JSON.stringify(fromAthena, null, 1)).toBe(JSON.stringify(fromFiles, null, 1));
    // LookupEvents has the trail's management events only: its data events are not in it.
    const managed = await runRunbook(
      runbook(principal),
      managementOnly(filesSource({ root: fixtureRoot })),
      NOW,
    );
    expect(JSON.stringify(fromApi)).toBe(JSON.stringify(managed));
    expect(fromFiles.results[0]!.rows[0]!.count).toBeGreaterThan(0);
  },
);

test('the same on a subset of regions', async () => {
  const regions = ['eu-west-1'];
  const fromFiles = await runRunbook(
    runbook(ALICE),
    filesSource({ root: fixtureRoot }),
    NOW,
    regions,
  );
  const fromAthena = await runRunbookAthena(runbook(ALICE), athena(), NOW, regions);
  expect(JSON.stringify(fromAthena)).toBe(JSON.stringify(fromFiles));
  expect(started.every((s) => s.ExecutionParameters!.includes("'eu-west-1'"))).toBe(true);
});

test('group queries run in Athena as aggregates; the analyses read the records once', async () => {
  await runRunbookAthena(runbook(ALICE), athena({ workGroup: 'primary' }), NOW);
  const groups = runbook(ALICE).queries.filter((q) => q.kind === 'group').length;
  // One aggregate per group query, and one query for the records of jit-grants/requested-actions.
  expect(started.length).toBe(groups + 1);
  expect(started.filter((s) => /count\(\*\)/.test(s.QueryString!)).length).toBe(groups);
  for (const s of started) {
    expect(s.WorkGroup).toBe('primary');
    expect(s.ResultConfiguration?.OutputLocation).toBe('s3://athena-results/jit/');
    // The principal is a parameter, never text of the query; the window prunes partitions.
    expect(s.QueryString).not.toContain('alice');
    expect(s.ExecutionParameters).toContain(`'${ALICE}'`);
    expect(s.QueryString).toMatch(/"timestamp" BETWEEN \? AND \?/);
    expect(s.ExecutionParameters).toEqual(expect.arrayContaining(["'2026/03/01'", "'2026/04/01'"]));
  }
});

test('a principal with quotes and a comment in its name changes no query', async () => {
  const hostile = `arn:aws:iam::${ACCOUNT}:user/o'brien' OR 1=1 --`;
  const fromFiles = await runRunbook(runbook(hostile), filesSource({ root: fixtureRoot }), NOW);
  const fromAthena = await runRunbookAthena(runbook(hostile), athena(), NOW);
  expect(JSON.stringify(fromAthena)).toBe(JSON.stringify(fromFiles));
  expect(fromAthena.results.find((r) => r.id === 'daily')!.rows[0]!.count).toBe(0);
});

test('a failed query is an error with Athena’s reason', async () => {
  await expect(
    runRunbookAthena(runbook(ALICE), athena({ table: 'default.no_such_table' }), NOW),
  ).rejects.toThrow(/FAILED: .*no_such_table/);
});

describe('jit runbook --source athena:DB.TABLE', () => {
  async function cli(args: string[], env: Record<string, string> = {}) {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      env,
      cwd: process.cwd(),
    };
    let code: number;
    try {
      code = await runbookCommand(args, io);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      stderr += e.message;
      code = EXIT.usage;
    }
    return { code, stdout, stderr };
  }
  const common = [
    '--principal',
    ALICE,
    '--at',
    NOW.toISOString().replace('.000', ''),
    '--format',
    'json',
  ];

  it('prints the same JSON as files:DIR, region and credentials from the environment', async () => {
    const { credentials, region } = emu.clientConfig();
    const env = {
      AWS_ENDPOINT_URL: emu.url,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    };
    const viaAthena = await cli(
      [
        '--source',
        'athena:default.cloudtrail_logs',
        '--workgroup',
        'primary',
        '--output',
        's3://athena-results/jit/',
        ...common,
      ],
      env,
    );
    expect(viaAthena.stderr).toBe('');
    expect(viaAthena.code).toBe(EXIT.ok);
    const viaFiles = await cli(['--source', `files:${fixtureRoot}`, ...common]);
    expect(viaAthena.stdout).toBe(viaFiles.stdout);
  });

  it('refuses a malformed table or output location', async () => {
    expect((await cli(['--source', 'athena:logs', ...common])).code).toBe(EXIT.usage);
    expect((await cli(['--source', "athena:a.b'--", ...common])).code).toBe(EXIT.usage);
    const bad = await cli(['--source', 'athena:a.b', '--output', 'http://x', ...common]);
    expect(bad.stderr).toMatch(/s3:\/\//);
  });
});

test('group queries on paths that are no column run client-side, with the same result', async () => {
  const yaml = `
name: custom
title: Custom
window:
  since: 30d
parameters:
  principal:
    required: true
queries:
  - id: params
    title: Whole request parameters (not a column, run on the records)
    where:
      eventSource: iam.amazonaws.com
    groupBy: [requestParameters]
  - id: read-only
    title: Read-only calls by MFA
    where:
      readOnly: true
    groupBy: [userIdentity.sessionContext.attributes.mfaAuthenticated, readOnly]
    series: day
  - id: policies
    title: Policies named in calls
    actor: anyone
    where:
      requestParameters.policyArn: { prefix: ['arn:aws:iam::${ACCOUNT}:policy/jit/'] }
    groupBy: [eventName, requestParameters.policyArn]
`;
  const parsed = parseRunbook(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const bound = bind(parsed.value, { principal: ALICE });
  if (!bound.ok) throw new Error(JSON.stringify(bound.problems));
  const fromFiles = await runRunbook(bound.value, filesSource({ root: fixtureRoot }), NOW);
  const fromAthena = await runRunbookAthena(bound.value, athena(), NOW);
  expect(JSON.stringify(fromAthena, null, 1)).toBe(JSON.stringify(fromFiles, null, 1));
  expect(fromFiles.results.every((r) => r.rows.length > 0 && r.rows[0]!.count > 0)).toBe(true);
  // Two aggregates, and one records query for the path that is no column.
  expect(started.length).toBe(3);
});

describe('typed values under JSON paths, as the records have them', () => {
  const values: unknown[] = [
    5,
    '5',
    null,
    { a: 1, b: [2] },
    true,
    'true',
    'x-5',
    undefined,
    'late',
  ];
  const records = values.map((n, i) => ({
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', arn: ALICE, accountId: ACCOUNT, userName: 'alice' },
    eventTime: `2026-03-2${i}T10:00:00Z`,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'eu-west-1',
    requestParameters: n === undefined ? { other: 1 } : { n, s: { t: n } },
    recipientAccountId: ACCOUNT,
  }));
  const group = (id: string, where: Where, groupBy = ['requestParameters.n']): GroupQuery => ({
    kind: 'group',
    id,
    title: id,
    actor: 'principal',
    where,
    groupBy,
    series: false,
  });
  const n = 'requestParameters.n';
  const book: Runbook = {
    name: 'typed',
    title: 'typed',
    principal: ALICE,
    sinceMs: 30 * 86_400_000,
    queries: [
      group('all', []),
      group('nested', [], ['requestParameters.s.t', 'readOnly']),
      group('string-5', [{ path: n, condition: { kind: 'in', values: ['5'] } }]),
      group('number-5', [{ path: n, condition: { kind: 'in', values: [5] } }]),
      group('bool', [{ path: n, condition: { kind: 'in', values: [true] } }]),
      group('null', [{ path: n, condition: { kind: 'in', values: [null] } }]),
      group('present', [{ path: n, condition: { kind: 'present', present: true } }]),
      group('absent', [{ path: n, condition: { kind: 'present', present: false } }]),
      group('prefix', [{ path: n, condition: { kind: 'prefix', values: ['5', 'tr'] } }]),
      group('like', [{ path: n, condition: { kind: 'like', patterns: ['*5'] } }]),
      group('not', [
        { path: n, condition: { kind: 'not', condition: { kind: 'in', values: ['5', null] } } },
      ]),
    ],
  };

  beforeEach(async () => {
    // These records alone, without the fixture.
    await emu.close();
    emu = await startAt(NOW);
  });

  it('compare and group as the files source does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jit-athena-'));
    await writeFile(join(dir, 'records.json'), JSON.stringify({ Records: records }));
    emu.state.cloudtrail.seed({ Records: records });
    const fromFiles = await runRunbook(book, filesSource({ root: dir }), NOW);
    const fromAthena = await runRunbookAthena(book, athena(), NOW);
    expect(JSON.stringify(fromAthena, null, 1)).toBe(JSON.stringify(fromFiles, null, 1));
    const rows = (id: string) => fromFiles.results.find((r) => r.id === id)!.rows;
    expect(rows('string-5').map((r) => r[n])).toEqual(['5']);
    expect(rows('number-5').map((r) => r[n])).toEqual([5]);
    expect(rows('present').length).toBeGreaterThan(4);
    expect(started.length).toBe(book.queries.length);
  });
});

test('the records query pages GetQueryResults (1000 rows a page) and polls with backoff', async () => {
  const bulk = Array.from({ length: 2400 }, (_, i) => ({
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/carol`, userName: 'carol' },
    eventTime: new Date(NOW.getTime() - (i + 1) * 60_000).toISOString().replace('.000', ''),
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'eu-west-1',
    readOnly: true,
    requestParameters: { bucketName: 'b', key: `k${i}` },
  }));
  emu.state.cloudtrail.seed({ Records: bulk });
  const pages: number[] = [];
  const sleeps: number[] = [];
  const options = athena({ sleep: async (ms) => void sleeps.push(ms) });
  options.client.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (context.commandName === 'GetQueryResultsCommand')
        pages.push(
          (out.output as { ResultSet?: { Rows?: unknown[] } }).ResultSet?.Rows?.length ?? 0,
        );
      return out;
    },
    { step: 'initialize' },
  );
  const seen: unknown[] = [];
  for await (const record of athenaSource(options).events({
    from: new Date(NOW.getTime() - 3 * 86_400_000),
    to: NOW,
    principal: parsePrincipal(`arn:aws:iam::${ACCOUNT}:user/carol`),
  }))
    seen.push(record);
  expect(seen.length).toBe(2400);
  expect(pages).toEqual([1000, 1000, 401]); // the header is the first row of the first page
  expect(seen[0]).toMatchObject({ readOnly: true, requestParameters: { bucketName: 'b' } });
  expect(sleeps).toEqual([200]); // QUEUED → RUNNING: one wait, then SUCCEEDED
});
