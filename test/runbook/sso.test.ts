/**
 * IAM Identity Center users (issue 9 item 4): `sso-user:<user name>` finds the user's sessions
 * of every `AWSReservedSSO_*` role, in every account, whatever the case of the name, and nobody
 * else's; a role ARN matches its sessions whether or not it is written with the reserved path.
 * The files, LookupEvents and Athena sources give identical results. Expected figures come from
 * the fixture by construction (its event ids say whose each record is), not from the engine.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudTrailClient, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import { runRunbook } from '../../src/runbook/engine.js';
import type { RunbookResult } from '../../src/runbook/model.js';
import { bind, parseRunbook } from '../../src/runbook/parse.js';
import { runRunbookAthena } from '../../src/runbook/sources/athena.js';
import { filesSource } from '../../src/runbook/sources/files.js';
import { lookupEventsSource } from '../../src/runbook/sources/lookup-events.js';
import { RateLimiter } from '../../src/runbook/sources/rate-limiter.js';
import { compileEvents } from '../../src/runbook/sql/compile.js';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  ADMIN_B,
  ALICE_SSO,
  BOB_SSO,
  JIT_A,
  JIT_ROLE_A,
  NOW,
  READONLY_A,
  READONLY_ROLE_A,
  inWindow,
  madeBy,
  ssoFixtureRoot,
  ssoRecords,
  type SsoRecord,
} from '../fixtures/cloudtrail-sso/dataset.js';
import { countBy } from './reference.js';

const records = ssoRecords();
const alice = records.filter((r) => madeBy('alice')(r) && inWindow(r));
const bob = records.filter((r) => madeBy('bob')(r) && inWindow(r));

/** Whose sessions a run counted: account, role and session ARN of each call. */
const WHO = `name: who
title: Whose calls
window: { since: 30d }
queries:
  - id: who
    title: Calls per account, role and session
    groupBy: [recipientAccountId, userIdentity.sessionContext.sessionIssuer.userName, userIdentity.arn]
`;

function bound(text: string, principal: string, params: Record<string, string[]> = {}) {
  const parsed = parseRunbook(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const runbook = bind(parsed.value, { principal, ...params });
  if (!runbook.ok) throw new Error(JSON.stringify(runbook.problems));
  return runbook.value;
}
const requester = (principal: string) =>
  bound(readFileSync('runbooks/requester-context.yaml', 'utf8'), principal, {
    requested_actions: ['logs:GetLogEvents', 'iam:CreateUser'],
  });
const who = (principal: string) => bound(WHO, principal);

/** The `who` rows the fixture says a set of records gives. */
const whoRows = (subset: SsoRecord[]) =>
  countBy(subset, (r) =>
    JSON.stringify([
      r.recipientAccountId,
      r.userIdentity.sessionContext.sessionIssuer.userName,
      r.userIdentity.arn,
    ]),
  ).map(([key, count]) => {
    const [account, role, arn] = JSON.parse(key) as string[];
    return {
      recipientAccountId: account,
      'userIdentity.sessionContext.sessionIssuer.userName': role,
      'userIdentity.arn': arn,
      count,
    };
  });

const files = (root = ssoFixtureRoot) => filesSource({ root });

/**
 * The fixture as CloudTrail delivers it, gzipped and written compactly, so the files source
 * skims it (parses only records holding its needle): the needle must not lose a session.
 */
let gzRoot: string;
beforeAll(async () => {
  gzRoot = await mkdtemp(join(tmpdir(), 'jit-sso-'));
  const walk = async (dir: string): Promise<void> => {
    const { readdir } = await import('node:fs/promises');
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.json')) {
        const target = join(gzRoot, `${relative(ssoFixtureRoot, path)}.gz`);
        await mkdir(dirname(target), { recursive: true });
        const body = JSON.parse(readFileSync(path, 'utf8')) as unknown;
        await writeFile(target, gzipSync(JSON.stringify(body)));
      }
    }
  };
  await walk(join(ssoFixtureRoot, 'AWSLogs'));
});

let emu: AwsEmulator;
beforeAll(async () => {
  emu = await startAwsEmulator({ clock: new Clock(NOW), accountId: ACCOUNT_A });
  emu.state.cloudtrail.seed(records);
});
afterAll(() => emu.close());

const athena = () => ({
  client: new AthenaClient({ ...emu.clientConfig(), maxAttempts: 1 }),
  table: 'default.cloudtrail_logs',
  outputLocation: 's3://athena-results/jit/',
  sleep: async () => {},
});

const json = (r: RunbookResult) => JSON.stringify(r);

describe('an Identity Center user, by user name', () => {
  test('every permission set in every account, and nobody else’s sessions', async () => {
    const result = await runRunbook(who(`sso-user:${ALICE_SSO}`), files(), NOW);
    const rows = result.results[0]!.rows;
    expect(rows).toEqual(whoRows(alice));
    // Two accounts, three permission sets; the name as the identity store keeps it in B.
    expect(new Set(rows.map((r) => r.recipientAccountId))).toEqual(new Set([ACCOUNT_A, ACCOUNT_B]));
    expect(
      new Set(rows.map((r) => r['userIdentity.sessionContext.sessionIssuer.userName'])),
    ).toEqual(new Set([READONLY_A, JIT_A, ADMIN_B]));
    expect(rows.some((r) => String(r['userIdentity.arn']).endsWith('/Alice@Acme.com'))).toBe(true);
    expect(result.results[0]!.total).toEqual({ rows: rows.length, count: 10 });
    expect(alice).toHaveLength(10);
  });

  test('the same permission set used by bob is bob’s, not alice’s', async () => {
    const result = await runRunbook(who(`sso-user:${BOB_SSO}`), files(), NOW);
    expect(result.results[0]!.rows).toEqual(whoRows(bob));
    expect(bob.length).toBeGreaterThan(0);
    expect(
      bob.every((r) => r.userIdentity.sessionContext.sessionIssuer.userName === READONLY_A),
    ).toBe(true);
  });

  test('the user name matches in any case', async () => {
    const lower = await runRunbook(requester(`sso-user:${ALICE_SSO}`), files(), NOW);
    const upper = await runRunbook(requester('sso-user:ALICE@ACME.COM'), files(), NOW);
    expect(json(upper)).toBe(json(lower));
    expect(lower.results.find((q) => q.id === 'daily')!.total!.count).toBe(alice.length);
  });

  test('files (whole and skimmed) and Athena give identical JSON', async () => {
    for (const principal of [`sso-user:${ALICE_SSO}`, 'sso-user:Alice@ACME.com']) {
      for (const runbook of [requester(principal), who(principal)]) {
        const fromFiles = await runRunbook(runbook, files(), NOW);
        const fromGz = await runRunbook(runbook, files(gzRoot), NOW);
        const fromAthena = await runRunbookAthena(runbook, athena(), NOW);
        // Both runbooks' first query counts every call of the principal's.
        expect(fromFiles.results[0]!.total!.count).toBe(alice.length);
        expect(json(fromGz)).toBe(json(fromFiles));
        expect(json(fromAthena)).toBe(json(fromFiles));
      }
    }
  });

  test('the user name is an Athena parameter, never SQL text', () => {
    const hostile = "x'); DROP TABLE t; --@acme.com";
    const sql = compileEvents('default.cloudtrail_logs', {
      from: new Date(NOW.getTime() - 86_400_000),
      to: NOW,
      principal: { kind: 'sso-user', userName: hostile },
    });
    expect(sql.sql).not.toContain('DROP');
    expect(sql.params).toContain(hostile.toLowerCase());
  });
});

describe('a role ARN, with or without the reserved path', () => {
  const jitRows = whoRows(alice.filter((r) => r.userIdentity.arn.includes(`/${JIT_A}/`)));
  test.each([
    ['as IAM names it (path and region)', JIT_ROLE_A],
    ['without its path', `arn:aws:iam::${ACCOUNT_A}:role/${JIT_A}`],
    [
      'with the path but not the region',
      `arn:aws:iam::${ACCOUNT_A}:role/aws-reserved/sso.amazonaws.com/${JIT_A}`,
    ],
  ])('%s: that role’s sessions, the same from files and Athena', async (_, arn) => {
    const fromFiles = await runRunbook(who(arn), files(), NOW);
    expect(fromFiles.results[0]!.rows).toEqual(jitRows);
    expect(jitRows.map((r) => r.count)).toEqual([3]);
    for (const runbook of [who(arn), requester(arn)])
      expect(json(await runRunbookAthena(runbook, athena(), NOW))).toBe(
        json(await runRunbook(runbook, files(gzRoot), NOW)),
      );
  });

  test('a permission set’s role: every user’s sessions of it, not a look-alike elsewhere', async () => {
    const expected = whoRows(
      records.filter(
        (r) =>
          inWindow(r) &&
          !madeBy('other')(r) &&
          r.userIdentity.sessionContext?.sessionIssuer?.arn === READONLY_ROLE_A,
      ),
    );
    for (const arn of [READONLY_ROLE_A, `arn:aws:iam::${ACCOUNT_A}:role/${READONLY_A}`]) {
      const result = await runRunbook(who(arn), files(), NOW);
      expect(result.results[0]!.rows).toEqual(expected);
    }
    // The other account has no such role: its sessions are never this role's.
    const elsewhere = await runRunbook(
      who(`arn:aws:iam::${ACCOUNT_B}:role/${READONLY_A}`),
      files(),
      NOW,
    );
    expect(elsewhere.results[0]!.rows).toEqual([]);
  });
});

describe('LookupEvents, one account at a time', () => {
  /** LookupEvents reads the caller's own account: an emulator per account, seeded alike. */
  async function lookupIn(
    account: string,
    run: (source: ReturnType<typeof lookupEventsSource>) => Promise<string>,
  ) {
    const own = await startAwsEmulator({ clock: new Clock(NOW), accountId: account });
    own.state.cloudtrail.seed(records);
    const attributes: (string | undefined)[] = [];
    try {
      const source = lookupEventsSource({
        regions: ['eu-west-1'],
        client: (region) => {
          const client = new CloudTrailClient({ ...own.clientConfig(), region, maxAttempts: 1 });
          client.middlewareStack.add(
            (next) => async (args) => {
              attributes.push(
                (args.input as LookupEventsCommandInput).LookupAttributes?.[0]?.AttributeKey,
              );
              return next(args);
            },
            { step: 'initialize' },
          );
          return client;
        },
        limiter: () =>
          new RateLimiter(
            2,
            () => own.clock.now().getTime(),
            async (ms) => own.clock.advance(ms),
          ),
        now: () => NOW,
      });
      return { out: await run(source), attributes };
    } finally {
      await own.close();
    }
  }

  test.each([
    [ACCOUNT_A, `sso-user:${ALICE_SSO}`],
    [ACCOUNT_B, 'sso-user:ALICE@acme.com'],
    [ACCOUNT_A, `arn:aws:iam::${ACCOUNT_A}:role/${JIT_A}`],
  ])('account %s, %s: the same as that account’s log files', async (account, principal) => {
    const root = join(ssoFixtureRoot, 'AWSLogs', account);
    for (const runbook of [requester(principal), who(principal)]) {
      const fromFiles = json(await runRunbook(runbook, files(root), NOW));
      const { out, attributes } = await lookupIn(account, async (source) =>
        json(await runRunbook(runbook, source, NOW)),
      );
      expect(out).toBe(fromFiles);
      // The session name's case is not known: no Username lookup, the window is read.
      expect(attributes).not.toContain('Username');
    }
    const counted = await runRunbook(who(principal), files(root), NOW);
    expect(counted.results[0]!.total!.count).toBeGreaterThan(0);
  });
});
