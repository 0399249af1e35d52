/**
 * `jit runbook` on real CloudTrail logs, published by third parties and kept outside the
 * repository (`../shared/data/cloudtrail/`, or `$JIT_SHARED_DIR/data/cloudtrail/`; see its
 * SOURCES.md), checked against the ground truth jq computed from the same files (each dataset's
 * `truth.json`, made by `truth.jq`): the engine over the files source, the CLI over
 * `--source files:DIR`, and the LookupEvents and Athena sources over the AWS emulator seeded with
 * the same records. In CI a clone without the data fails; elsewhere the tests are skipped with
 * the reason printed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import { runbookCommand } from '../../src/cli/commands/runbook.js';
import type { CliIo } from '../../src/cli/io.js';
import { runRunbook } from '../../src/runbook/engine.js';
import type { QueryResult, Row, Runbook, RunbookResult } from '../../src/runbook/model.js';
import { bind, durationMs, parseRunbook } from '../../src/runbook/parse.js';
import { runRunbookAthena } from '../../src/runbook/sources/athena.js';
import { filesSource, type FilesProgress } from '../../src/runbook/sources/files.js';
import { lookupEventsSource } from '../../src/runbook/sources/lookup-events.js';
import { RateLimiter } from '../../src/runbook/sources/rate-limiter.js';
import { managementOnly } from './management-only.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED = process.env.JIT_SHARED_DIR ?? join(REPO, '..', 'shared');
const DATA = join(SHARED, 'data', 'cloudtrail');

type Counts = Record<string, number>;
interface PrincipalTruth {
  total: number;
  firstEventTime: string | null;
  byEventSource: Counts;
  byAction: Counts;
  errorCodes: Counts;
  accessDeniedLike: number;
  byRegion: Counts;
  bySourceIPAddress: Counts;
  byUserAgent: Counts;
  consoleLogins: {
    mfaUsed?: string | null;
    result?: string | null;
    sourceIPAddress?: string;
    count: number;
  }[];
}
interface Truth {
  dataset: string;
  cli: { at: string; since: string };
  records: number;
  recipientAccounts: Counts;
  principals: Record<string, PrincipalTruth>;
}

const datasets = existsSync(DATA)
  ? readdirSync(DATA).filter((d) => existsSync(join(DATA, d, 'truth.json')))
  : [];
const missing = `no CloudTrail datasets in ${DATA}: the real-data runbook tests need the shared data (../shared beside the clone, or JIT_SHARED_DIR)`;

if (datasets.length === 0) {
  if (process.env.CI === 'true')
    test('the real CloudTrail datasets are present', () => {
      throw new Error(missing);
    });
  else {
    console.log(`Skipped: ${missing}`);
    test.skip(missing, () => undefined);
  }
}

/** The default runbook, and one of the same groupings without `top`, for every figure truth holds. */
const DEFAULT = readFileSync(join(REPO, 'runbooks/requester-context.yaml'), 'utf8');
const WHOLE = `
name: whole
title: Every group
window:
  since: 30d
queries:
  - { id: actions, title: Actions, groupBy: [eventSource, eventName] }
  - { id: error-codes, title: Error codes, where: { errorCode: { present: true } }, groupBy: [errorCode] }
  - { id: user-agents, title: User agents, groupBy: [userAgent] }
  - { id: source-ips, title: Source IPs, groupBy: [sourceIPAddress] }
`;

function runbook(text: string, principal: string, since: string): Runbook {
  const parsed = parseRunbook(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const bound = bind(parsed.value, { principal });
  if (!bound.ok) throw new Error(JSON.stringify(bound.problems));
  return { ...bound.value, sinceMs: durationMs(since) };
}

/** Every record of a dataset's log files, read with gunzip and JSON.parse only. */
function recordsOf(dir: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.json(\.gz)?$/.test(entry.name)) continue;
    const raw = readFileSync(join(entry.parentPath, entry.name));
    const text = (entry.name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    out.push(...(JSON.parse(text) as { Records: Record<string, unknown>[] }).Records);
  }
  return out;
}

const keyed = (rows: Row[], fields: string[]): Counts =>
  Object.fromEntries(rows.map((r) => [fields.map((f) => String(r[f])).join(' '), r.count]));
const sum = (counts: Counts): number => Object.values(counts).reduce((n, c) => n + c, 0);
/** The counts of a top-N, tie-proof: each shown row's count is truth's, and they are its N largest. */
function expectTop(result: QueryResult, fields: string[], truth: Counts): void {
  const shown = keyed(result.rows, fields);
  for (const key of Object.keys(shown)) expect([key, shown[key]]).toEqual([key, truth[key]]);
  expect(result.rows.map((r) => r.count)).toEqual(
    Object.values(truth)
      .sort((a, b) => b - a)
      .slice(0, result.rows.length),
  );
  expect(result.total).toEqual({ rows: Object.keys(truth).length, count: sum(truth) });
}

// `each` refuses an empty table: without data, the test above stands alone.
describe.each(datasets.length ? datasets : [undefined])('%s', (dataset) => {
  if (dataset === undefined) return;
  const root = join(DATA, dataset);
  const logs = join(root, 'logs');
  const truth = JSON.parse(readFileSync(join(root, 'truth.json'), 'utf8')) as Truth;
  const at = new Date(truth.cli.at);
  const principals = Object.keys(truth.principals);
  const results = new Map<string, RunbookResult>();
  const skipped: string[] = [];
  const read: FilesProgress[] = [];
  beforeAll(async () => {
    const source = filesSource({
      root: logs,
      onSkip: (file, reason) => skipped.push(`${file}: ${reason}`),
      onProgress: (p) => read.push(p),
    });
    const started = performance.now();
    for (const principal of principals)
      results.set(
        principal,
        await runRunbook(runbook(DEFAULT, principal, truth.cli.since), source, at),
      );
    const last = read.at(-1);
    console.log(
      `${dataset}: ${principals.length} principals, each run reading ${last?.records} records ` +
        `in ${last?.files} files; ${(performance.now() - started).toFixed(0)} ms in all`,
    );
  });

  test('truth names principals, and the files source reads every record, skipping none', () => {
    expect(principals.length).toBeGreaterThan(0);
    expect(skipped).toEqual([]);
    // Each run reads every file of the window: the last progress of each is the whole dataset.
    expect(read.filter((p) => p.files === p.totalFiles).map((p) => p.records)).toEqual(
      principals.map(() => truth.records),
    );
  });

  describe.each(principals)('%s', (principal) => {
    const t = truth.principals[principal]!;
    const of = (id: string): QueryResult =>
      results.get(principal)!.results.find((r) => r.id === id)!;
    const flag = (id: string) => of('risk-flags').rows.find((r) => r.flag === id);

    test('the default runbook agrees with jq: totals, top rows, denials, sign-ins, flags', () => {
      expect(of('daily').rows[0]!.count).toBe(t.total);
      expectTop(of('services'), ['eventSource'], t.byEventSource);
      expectTop(of('actions'), ['eventSource', 'eventName'], t.byAction);
      expectTop(of('regions'), ['awsRegion'], t.byRegion);
      expectTop(of('source-ips'), ['sourceIPAddress'], t.bySourceIPAddress);
      expectTop(of('user-agents'), ['userAgent'], t.byUserAgent);
      expect(of('errors').total!.count).toBe(sum(t.errorCodes));
      expect(of('access-denied').total!.count).toBe(t.accessDeniedLike);
      expect(flag('access-denied')?.count ?? 0).toBe(t.accessDeniedLike);
      // The window covers every record, so every value is first seen in it: new only when that
      // is in its last 7 days (here: all of them, the data being one day's).
      expect(flag('new-region')?.rows ?? 0).toBe(Object.keys(t.byRegion).length);
      expect(flag('new-user-agent')).toEqual(
        t.total
          ? expect.objectContaining({ rows: Object.keys(t.byUserAgent).length, count: t.total })
          : undefined,
      );
      const logins = (mfa: string) =>
        t.consoleLogins.filter((l) => l.mfaUsed === mfa).reduce((n, l) => n + l.count, 0);
      expect(
        of('console-logins').rows.map((r) => ({
          mfaUsed: r['additionalEventData.MFAUsed'],
          result: r['responseElements.ConsoleLogin'],
          sourceIPAddress: r.sourceIPAddress,
          count: r.count,
        })),
      ).toEqual(
        expect.arrayContaining(
          t.consoleLogins.map((l) => ({
            ...l,
            mfaUsed: l.mfaUsed ?? null,
            result: l.result ?? null,
          })),
        ),
      );
      expect(of('console-logins').rows).toHaveLength(t.consoleLogins.length);
      expect(flag('console-login-without-mfa')?.count ?? 0).toBe(logins('No'));
    });

    test('every action, error code, user agent and source IP, counted without top, agrees with jq', async () => {
      const whole = await runRunbook(
        runbook(WHOLE, principal, truth.cli.since),
        filesSource({ root: logs }),
        at,
      );
      const rows = (id: string) => whole.results.find((r) => r.id === id)!.rows;
      expect(keyed(rows('actions'), ['eventSource', 'eventName'])).toEqual(t.byAction);
      expect(keyed(rows('error-codes'), ['errorCode'])).toEqual(t.errorCodes);
      expect(keyed(rows('user-agents'), ['userAgent'])).toEqual(t.byUserAgent);
      expect(keyed(rows('source-ips'), ['sourceIPAddress'])).toEqual(t.bySourceIPAddress);
    });
  });

  test('`jit runbook --source files:DIR` prints the same JSON, and the exact total in markdown', async () => {
    const [principal] = principals;
    const args = ['--source', `files:${logs}`, '--principal', principal!];
    const window = ['--at', truth.cli.at, '--since', truth.cli.since];
    const json = await cli([...args, ...window, '--format', 'json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(results.get(principal!));
    const md = await cli([...args, ...window]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(`**${truth.principals[principal!]!.total}** events`);
  });

  describe('LookupEvents and Athena (the AWS emulator, seeded with the same records)', () => {
    let emu: AwsEmulator;
    /** One for the account's us-east-1, as LookupEvents' quota is: shared by every run here. */
    let limiter: RateLimiter;
    beforeAll(async () => {
      // LookupEvents reads the caller's account's event history: the dataset's one account.
      const [account, ...others] = Object.keys(truth.recipientAccounts);
      expect(others).toEqual([]);
      emu = await startAwsEmulator({ clock: new Clock(at), accountId: account! });
      emu.state.cloudtrail.seed(recordsOf(logs));
      limiter = new RateLimiter(
        2,
        () => emu.clock.now().getTime(),
        async (ms) => emu.clock.advance(ms),
      );
    });
    afterAll(() => emu.close());

    test.each(principals)(
      '%s: the same JSON as the files source (LookupEvents: its management events)',
      async (principal) => {
        const bound = runbook(DEFAULT, principal, truth.cli.since);
        const fromAthena = await runRunbookAthena(
          bound,
          {
            client: new AthenaClient({ ...emu.clientConfig(), maxAttempts: 1 }),
            table: 'default.cloudtrail_logs',
            outputLocation: 's3://athena-results/jit/',
            sleep: async () => {},
          },
          at,
        );
        const lookup = lookupEventsSource({
          regions: ['us-east-1'],
          client: (region) =>
            new CloudTrailClient({ ...emu.clientConfig(), region, maxAttempts: 1 }),
          limiter: () => limiter,
          now: () => at,
        });
        const fromApi = await runRunbook(bound, lookup, at);
        const fromFiles = JSON.stringify(results.get(principal));
        expect(JSON.stringify(fromAthena)).toBe(fromFiles);
        // LookupEvents returns management events only: the records' own managementEvent and
        // eventCategory say which (otrf's S3 GetObject and ListObjects are data events).
        const managed = await runRunbook(bound, managementOnly(filesSource({ root: logs })), at);
        expect(JSON.stringify(fromApi)).toBe(JSON.stringify(managed));
      },
    );
  });
});

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: {},
    cwd: REPO,
  };
  const code = await runbookCommand(args, io);
  return { code, stdout, stderr };
}
