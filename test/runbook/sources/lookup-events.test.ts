import { readFileSync } from 'node:fs';
import { CloudTrailClient, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import type { AwsEmulator } from '../../../emulators/aws/server.js';
import { runRunbook } from '../../../src/runbook/engine.js';
import { bind, parseRunbook } from '../../../src/runbook/parse.js';
import { filesSource } from '../../../src/runbook/sources/files.js';
import { lookupEventsSource } from '../../../src/runbook/sources/lookup-events.js';
import { RateLimiter } from '../../../src/runbook/sources/rate-limiter.js';
import { ACCOUNT, ALICE, NOW, fixtureRoot } from '../../fixtures/cloudtrail/dataset.js';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { startAt } from '../../emulators/aws/world.js';
import { allRecords } from '../reference.js';
import { parsePrincipal } from '../../../src/runbook/principal.js';
import { managementOnly } from '../management-only.js';

const REGIONS = ['eu-west-1', 'ap-southeast-2', 'us-west-2'];
const BROKER = `arn:aws:iam::${ACCOUNT}:role/jit-broker`;

let emu: AwsEmulator;
let calls: { region: string; attribute: string | undefined; max: number | undefined }[];

beforeEach(async () => {
  emu = await startAt(NOW);
  emu.state.cloudtrail.seed(allRecords(fixtureRoot));
  calls = [];
});
afterEach(() => emu.close());

/**
 * The source as the CLI builds it, except that its limiter runs on the emulator's (frozen)
 * clock and waits by advancing it: the test takes no real time, and one retry-less SDK call
 * throttled by the emulator would fail it, so the limiter alone must keep to 2 calls/s.
 */
function source() {
  return lookupEventsSource({
    regions: REGIONS,
    client: (region) => {
      const client = new CloudTrailClient({ ...emu.clientConfig(), region, maxAttempts: 1 });
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'LookupEventsCommand') {
            const input = args.input as LookupEventsCommandInput;
            calls.push({
              region,
              attribute: input.LookupAttributes?.[0]?.AttributeKey,
              max: input.MaxResults,
            });
          }
          return next(args);
        },
        { step: 'initialize' },
      );
      return client;
    },
    limiter: () =>
      new RateLimiter(
        2,
        () => emu.clock.now().getTime(),
        async (ms) => emu.clock.advance(ms),
      ),
    now: () => NOW,
  });
}

async function runWith(principal: string, eventSource: ReturnType<typeof source>) {
  const parsed = parseRunbook(readFileSync('runbooks/requester-context.yaml', 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const bound = bind(parsed.value, {
    principal,
    requested_actions: ['logs:GetLogEvents', 'ec2:*'],
  });
  if (!bound.ok) throw new Error(JSON.stringify(bound.problems));
  return runRunbook(bound.value, eventSource, NOW);
}

test.each([
  ['an IAM user', ALICE],
  ['a role (all its sessions)', BROKER],
])('lookup-events gives the JSON of the files’ management events for %s', async (_, principal) => {
  // LookupEvents returns management events only: the trail's data events are not in it.
  const fromFiles = await runWith(principal, managementOnly(filesSource({ root: fixtureRoot })));
  const fromApi = await runWith(principal, source());
  expect(JSON.stringify(fromApi)).toBe(JSON.stringify(fromFiles));
  expect(fromFiles.results[0]!.rows[0]!.count).toBeGreaterThan(0);
});

test('the S3 object reads in the trail are not in LookupEvents', async () => {
  const total = async (s: Parameters<typeof runWith>[1]) =>
    (await runWith(ALICE, s)).results[0]!.rows[0]!.count;
  const files = filesSource({ root: fixtureRoot });
  expect(await total(files)).toBeGreaterThan(await total(managementOnly(files)));
  expect(await total(source())).toBe(await total(managementOnly(files)));
});

test('LookupEvents is called as its limits require', async () => {
  const started = emu.clock.now().getTime();
  await runWith(ALICE, source());
  // One attribute per call, the user name for the user's own calls; 50 a page.
  expect(new Set(calls.map((c) => c.attribute))).toEqual(new Set(['Username', 'EventName']));
  expect(calls.every((c) => c.max === 50)).toBe(true);
  // Every region read, policy attachments (IAM, global) from us-east-1 only.
  expect(new Set(calls.map((c) => c.region))).toEqual(new Set(['us-east-1', ...REGIONS]));
  expect(
    calls.filter((c) => c.attribute === 'EventName').every((c) => c.region === 'us-east-1'),
  ).toBe(true);
  // Regions in parallel: the emulated time is set by the busiest region at 2 calls a second.
  const busiest = Math.max(
    ...['us-east-1', ...REGIONS].map((r) => calls.filter((c) => c.region === r).length),
  );
  const elapsed = emu.clock.now().getTime() - started;
  expect(elapsed).toBeLessThanOrEqual(Math.ceil(busiest / 2) * 1000);
  expect(calls.length).toBeGreaterThan(busiest);
});

test('a window older than 90 days is cut to what LookupEvents keeps', async () => {
  const seen: string[] = [];
  for await (const r of source().events({
    from: new Date(NOW.getTime() - 400 * 86_400_000),
    to: NOW,
    principal: parsePrincipal(ALICE),
  }))
    seen.push(r.eventTime);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.every((t) => Date.parse(t) >= NOW.getTime() - 90 * 86_400_000)).toBe(true);
});

test('a ThrottlingException, should one come, is retried by the SDK with backoff', async () => {
  let throttled = 0;
  const eager = lookupEventsSource({
    // eu-west-1 holds most of alice's management events: pages enough to outrun the quota.
    regions: ['eu-west-1'],
    client: (region) => {
      const client = new CloudTrailClient({
        ...emu.clientConfig(),
        region,
        // The backoff waits on the emulator's clock, so the emulator's bucket refills.
        retryStrategy: new ConfiguredRetryStrategy(3, () => {
          throttled++;
          emu.clock.advance(1000);
          return 1;
        }),
      });
      return client;
    },
    // Too eager on purpose: 5 calls a second where the service allows 2.
    limiter: () =>
      new RateLimiter(
        5,
        () => emu.clock.now().getTime(),
        async (ms) => emu.clock.advance(ms),
      ),
    now: () => NOW,
  });
  const times: string[] = [];
  for await (const record of eager.events({
    from: new Date(NOW.getTime() - 30 * 86_400_000),
    to: NOW,
    principal: parsePrincipal(ALICE),
  }))
    times.push(record.eventTime);
  expect(throttled).toBeGreaterThan(0);
  expect(times.length).toBeGreaterThan(100);
});
