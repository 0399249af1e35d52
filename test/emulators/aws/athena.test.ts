import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
} from '@aws-sdk/client-athena';
import { parseLiteral } from '../../../emulators/aws/athena/operations.js';
import type { AwsEmulator } from '../../../emulators/aws/server.js';
import { ACCOUNT, codeOf, startAt } from './world.js';

let emu: AwsEmulator;
let athena: AthenaClient;
const OUTPUT = 's3://athena-results/jit/';
const TABLE = '"default"."cloudtrail_logs"';

const record = (i: number, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser',
    arn: `arn:aws:iam::${ACCOUNT}:user/${i % 2 ? 'alice' : "o'brien"}`,
    accountId: ACCOUNT,
    userName: i % 2 ? 'alice' : "o'brien",
    sessionContext: { attributes: { mfaAuthenticated: 'true' } },
  },
  eventTime: `2026-02-${String(10 + (i % 10)).padStart(2, '0')}T10:00:${String(i % 60).padStart(2, '0')}Z`,
  eventSource: 's3.amazonaws.com',
  eventName: i % 3 ? 'GetObject' : 'PutObject',
  awsRegion: 'eu-west-1',
  sourceIPAddress: '203.0.113.9',
  requestParameters: { bucketName: 'data', key: `k${i}`, size: i },
  readOnly: i % 3 !== 0,
  resources: [{ ARN: `arn:aws:s3:::data/k${i}`, accountId: ACCOUNT, type: 'AWS::S3::Object' }],
  recipientAccountId: ACCOUNT,
  ...extra,
});

beforeEach(async () => {
  emu = await startAt();
  athena = new AthenaClient({ ...emu.clientConfig(), maxAttempts: 1 });
  emu.state.cloudtrail.seed({ Records: Array.from({ length: 2500 }, (_, i) => record(i)) });
});
afterEach(() => emu.close());

async function start(input: Partial<StartQueryExecutionCommandInput>): Promise<string> {
  const out = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: 'SELECT 1',
      ResultConfiguration: { OutputLocation: OUTPUT },
      ...input,
    }),
  );
  return out.QueryExecutionId!;
}

async function states(id: string): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 5; i++) {
    const out = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    seen.push(out.QueryExecution!.Status!.State!);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(seen.at(-1)!)) break;
  }
  return seen;
}

async function allRows(id: string, max?: number): Promise<{ pages: number; rows: string[][] }> {
  const rows: string[][] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await athena.send(
      new GetQueryResultsCommand({
        QueryExecutionId: id,
        ...(max ? { MaxResults: max } : {}),
        ...(token ? { NextToken: token } : {}),
      }),
    );
    pages++;
    for (const row of page.ResultSet!.Rows!)
      rows.push(row.Data!.map((d) => d.VarCharValue ?? '<null>'));
    token = page.NextToken;
  } while (token);
  return { pages, rows };
}

it('runs a query through QUEUED, RUNNING, SUCCEEDED and pages its results, header first', async () => {
  const id = await start({
    QueryString: `SELECT eventname, count(*) AS n FROM ${TABLE} WHERE useridentity.username = ? GROUP BY eventname ORDER BY eventname`,
    ExecutionParameters: ["'alice'"],
  });
  expect(await states(id)).toEqual(['RUNNING', 'SUCCEEDED']);
  const { rows } = await allRows(id);
  // 1250 alice records: i odd; PutObject when i % 3 == 0 (i = 3, 9, 15, …: 417 of them).
  expect(rows).toEqual([
    ['eventname', 'n'],
    ['GetObject', '833'],
    ['PutObject', '417'],
  ]);
  const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id }));
  expect(page.ResultSet!.ResultSetMetadata!.ColumnInfo!.map((c) => [c.Name, c.Type])).toEqual([
    ['eventname', 'varchar'],
    ['n', 'bigint'],
  ]);
});

it('pages up to MaxResults rows (1000 at most), the header counted on the first page', async () => {
  const id = await start({ QueryString: `SELECT eventtime FROM ${TABLE}` });
  await states(id);
  const { pages, rows } = await allRows(id);
  expect(rows.length).toBe(2501);
  expect(pages).toBe(3);
  expect((await allRows(id, 700)).pages).toBe(4);
  expect(
    await codeOf(
      athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1001 })),
    ),
  ).toBe('InvalidRequestException');
});

it('serves the documented table shape: structs, JSON text, readonly as text, partitions', async () => {
  const id = await start({
    QueryString:
      `SELECT useridentity.sessioncontext.attributes.mfaauthenticated AS mfa, ` +
      `json_extract_scalar(requestparameters, '$.bucketName') AS bucket, ` +
      `json_extract_scalar(requestparameters, '$.size') AS size, readonly, ` +
      `resources[1].arn AS resource, "timestamp", region, account FROM ${TABLE} ` +
      `WHERE json_extract_scalar(requestparameters, '$.key') = ?`,
    ExecutionParameters: ["'k3'"],
  });
  await states(id);
  expect((await allRows(id)).rows[1]).toEqual([
    'true',
    'data',
    '3',
    'false',
    'arn:aws:s3:::data/k3',
    '2026/02/13',
    'eu-west-1',
    ACCOUNT,
  ]);
});

it('sees the calls recorded since the previous query, seeded or made through the API', async () => {
  const count = async () => {
    const id = await start({ QueryString: `SELECT count(*) FROM ${TABLE}` });
    await states(id);
    return Number((await allRows(id)).rows[1]![0]);
  };
  const before = await count();
  emu.state.cloudtrail.seed([record(1)]);
  // The first StartQueryExecution and its GetQueryExecution/GetQueryResults calls are logged too.
  expect(await count()).toBeGreaterThan(before + 1);
});

it('binds parameters as values: a quote or a comment in one cannot change the query', async () => {
  const id = await start({
    QueryString: `SELECT count(*) FROM ${TABLE} WHERE useridentity.username = ?`,
    ExecutionParameters: [`'o''brien'' OR 1=1 --'`],
  });
  await states(id);
  expect((await allRows(id)).rows[1]).toEqual(['0']);
  const obrien = await start({
    QueryString: `SELECT count(*) FROM ${TABLE} WHERE useridentity.username = ?`,
    ExecutionParameters: [`'o''brien'`],
  });
  await states(obrien);
  expect((await allRows(obrien)).rows[1]).toEqual(['1250']);
  // Not a literal: refused, never run as SQL.
  expect(
    await codeOf(
      start({
        QueryString: `SELECT count(*) FROM ${TABLE} WHERE useridentity.username = ?`,
        ExecutionParameters: [`'x' OR 1=1`],
      }),
    ),
  ).toBe('InvalidRequestException');
  expect(parseLiteral("'a''b'")).toBe("a'b");
  expect(parseLiteral('42')).toBe(42);
  expect(() => parseLiteral("'a' || 'b'")).toThrow(/not a literal/);
});

it('refuses syntax errors and parameter mismatches with InvalidRequestException', async () => {
  expect(await codeOf(start({ QueryString: 'SELEC 1' }))).toBe('InvalidRequestException');
  expect(
    await codeOf(start({ QueryString: `SELECT ? AS a`, ExecutionParameters: ["'a'", "'b'"] })),
  ).toBe('InvalidRequestException');
  expect(await codeOf(start({ QueryString: 'CREATE TABLE x (a INT)' }))).toBe(
    'InvalidRequestException',
  );
});

it('reads no files of the host: DuckDB external access is off', async () => {
  const id = await start({ QueryString: `SELECT * FROM read_csv('/etc/passwd')` });
  expect(await states(id)).toEqual(['RUNNING', 'FAILED']);
  const out = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
  expect(out.QueryExecution!.Status!.StateChangeReason).toMatch(/external access|disabled/i);
});

it('fails a query on an unknown table with the reason, and has no results for it', async () => {
  const id = await start({ QueryString: 'SELECT * FROM "default"."nope"' });
  expect(await states(id)).toEqual(['RUNNING', 'FAILED']);
  const out = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
  expect(out.QueryExecution!.Status!.StateChangeReason).toMatch(/nope/);
  expect(await codeOf(athena.send(new GetQueryResultsCommand({ QueryExecutionId: id })))).toBe(
    'InvalidRequestException',
  );
});

it('needs an output location, from the call or the workgroup, and a known workgroup', async () => {
  expect(
    await codeOf(athena.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }))),
  ).toBe('InvalidRequestException');
  expect(await codeOf(start({ WorkGroup: 'nope' }))).toBe('InvalidRequestException');
  expect(
    await codeOf(athena.send(new GetQueryExecutionCommand({ QueryExecutionId: 'nope' }))),
  ).toBe('InvalidRequestException');
});

it('fails a query naming a column or struct field the documented table does not have', async () => {
  // Real CloudTrail fields that AWS's documented table leaves out: they cannot be queried.
  for (const column of [
    'managementevent',
    'useridentity.sessioncontext.sourceidentity',
    'resources[1].arntype',
  ]) {
    const id = await start({ QueryString: `SELECT ${column} FROM ${TABLE}` });
    expect([column, await states(id)]).toEqual([column, ['RUNNING', 'FAILED']]);
    const out = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    expect(out.QueryExecution!.Status!.StateChangeReason).toMatch(
      /managementevent|sourceidentity|arntype/,
    );
  }
  // Every documented column (and a partition key) can be.
  const documented =
    'eventversion, useridentity.sessioncontext.webidfederationdata.attributes, eventtime, ' +
    'eventsource, eventname, awsregion, sourceipaddress, useragent, errorcode, errormessage, ' +
    'requestparameters, responseelements, additionaleventdata, requestid, eventid, readonly, ' +
    'resources[1].arn, eventtype, apiversion, recipientaccountid, serviceeventdetails, ' +
    'sharedeventid, vpcendpointid, vpcendpointaccountid, eventcategory, addendum.reason, ' +
    'sessioncredentialfromconsole, edgedevicedetails, tlsdetails.tlsversion, "timestamp"';
  const ok = await start({ QueryString: `SELECT ${documented} FROM ${TABLE} LIMIT 1` });
  expect(await states(ok)).toEqual(['RUNNING', 'SUCCEEDED']);
});

it('defines its table itself: no emulator module imports the client code it checks', () => {
  for (const file of readdirSync('emulators/aws/athena'))
    expect([file, readFileSync(join('emulators/aws/athena', file), 'utf8')]).not.toEqual([
      file,
      expect.stringMatching(/from '[./]*\/src\//),
    ]);
});

describe('who may query', () => {
  const role = () =>
    emu.state.addRole({
      name: 'reader',
      trustPolicy: { Version: '2012-10-17', Statement: [] },
      inlinePolicies: {
        athena: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [
                'athena:StartQueryExecution',
                'athena:GetQueryExecution',
                'athena:GetQueryResults',
              ],
              Resource: `arn:aws:athena:us-east-1:${ACCOUNT}:workgroup/primary`,
            },
          ],
        },
      },
    });
  const as = (keys: Parameters<AwsEmulator['clientConfig']>[0], region = 'us-east-1') =>
    new AthenaClient({ ...emu.clientConfig(keys), region, maxAttempts: 1 });
  const query = (client: AthenaClient) =>
    client.send(
      new StartQueryExecutionCommand({
        QueryString: 'SELECT 1',
        ResultConfiguration: { OutputLocation: OUTPUT },
      }),
    );

  it('every call is authorised on its workgroup: no policy, no query', async () => {
    emu.state.addUser({ name: 'nobody' });
    const nobody = as(emu.state.addAccessKey({ userName: 'nobody' }));
    const denied = await query(nobody).catch((e: Error) => e);
    expect(denied).toMatchObject({ name: 'AccessDeniedException' });
    expect((denied as Error).message).toContain('athena:StartQueryExecution');

    const reader = role();
    const session = as(emu.state.addRoleSession({ role: reader, sessionName: 'r' }));
    const { QueryExecutionId } = await query(session);
    expect(
      (await session.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution!
        .WorkGroup,
    ).toBe('primary');
    // The policy names us-east-1's workgroup: the same role is refused in another region.
    const west = as(emu.state.addRoleSession({ role: reader, sessionName: 'w' }), 'eu-west-1');
    expect(await codeOf(query(west))).toBe('AccessDeniedException');
  });

  it('an execution is found only in the account and region that started it', async () => {
    const { QueryExecutionId } = await query(athena);
    emu.state.addAccount('210987654321');
    emu.state.addUser({ accountId: '210987654321', name: 'other' });
    const other = as(
      emu.state.addAccessKey({ accountId: '210987654321', userName: 'other', admin: true }),
    );
    expect(await codeOf(other.send(new GetQueryExecutionCommand({ QueryExecutionId })))).toBe(
      'InvalidRequestException',
    );
    expect(
      await codeOf(
        as(undefined, 'eu-west-1').send(new GetQueryExecutionCommand({ QueryExecutionId })),
      ),
    ).toBe('InvalidRequestException');
  });
});
