import {
  CloudTrailClient,
  LookupEventsCommand,
  type Event,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CreatePolicyCommand, GetPolicyCommand } from '@aws-sdk/client-iam';
import type { AwsEmulator } from '../../../emulators/aws/server.js';
import { ACCOUNT, T0, cloudTrailClient, codeOf, doc, iamClient, startAt } from './world.js';

let emu: AwsEmulator;
let trail: CloudTrailClient;
const DAY = 24 * 3600 * 1000;
const READ_LOGS = doc({ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' });

beforeEach(async () => {
  emu = await startAt();
  trail = cloudTrailClient(emu);
});
afterEach(() => emu.close());

/** The rate limit allows two lookups a second on the emulator clock: step past it. */
async function lookup(input: LookupEventsCommandInput = {}) {
  emu.clock.advance(1000);
  return trail.send(new LookupEventsCommand(input));
}

const west = () =>
  new CloudTrailClient({ ...emu.clientConfig(), region: 'eu-west-1', maxAttempts: 1 });

const record = (e: Event) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>;

describe('recording', () => {
  it('records successful and failed IAM calls in the CloudTrail record shape', async () => {
    const role = emu.state.addRole({
      name: 'jit-broker',
      trustPolicy: { Version: '2012-10-17', Statement: [] },
      inlinePolicies: {
        p: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['iam:CreatePolicy', 'iam:TagPolicy'], Resource: '*' },
          ],
        },
      },
    });
    const session = emu.state.addRoleSession({ role, sessionName: 'grant-7' });
    const iam = iamClient(emu, session);
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'jit-7',
        Path: '/jit/',
        PolicyDocument: READ_LOGS,
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    );
    expect(await codeOf(iam.send(new GetPolicyCommand({ PolicyArn: created.Policy!.Arn })))).toBe(
      'AccessDenied',
    );

    const out = await lookup({
      LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'grant-7' }],
    });
    expect(out.Events!.map((e) => e.EventName)).toEqual(['GetPolicy', 'CreatePolicy']);
    const [denied, create] = out.Events!;
    expect(create).toMatchObject({
      EventName: 'CreatePolicy',
      EventSource: 'iam.amazonaws.com',
      ReadOnly: 'false',
      AccessKeyId: session.accessKeyId,
      Username: 'grant-7',
      EventTime: T0,
      Resources: [{ ResourceType: 'AWS::IAM::Policy', ResourceName: created.Policy!.Arn }],
    });
    expect(record(create!)).toEqual({
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: `${role.id}:grant-7`,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/jit-broker/grant-7`,
        accountId: ACCOUNT,
        accessKeyId: session.accessKeyId,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: role.id,
            arn: role.arn,
            accountId: ACCOUNT,
            userName: 'jit-broker',
          },
          webIdFederationData: {},
          attributes: { creationDate: '2026-03-01T10:00:00Z', mfaAuthenticated: 'false' },
        },
      },
      eventTime: '2026-03-01T10:00:00Z',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreatePolicy',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      userAgent: expect.stringContaining('aws-sdk-js'),
      requestParameters: {
        policyName: 'jit-7',
        path: '/jit/',
        policyDocument: READ_LOGS,
        tags: [{ key: 'k', value: 'v' }],
      },
      responseElements: {
        policy: expect.objectContaining({
          policyName: 'jit-7',
          arn: created.Policy!.Arn,
          createDate: '2026-03-01T10:00:00Z',
        }),
      },
      requestID: created.$metadata.requestId,
      eventID: create!.EventId,
      readOnly: false,
      resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::Policy', ARN: created.Policy!.Arn }],
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
    });
    expect(record(denied!)).toMatchObject({
      eventName: 'GetPolicy',
      errorCode: 'AccessDenied',
      errorMessage: expect.stringContaining('is not authorized to perform: iam:GetPolicy'),
      readOnly: true,
      responseElements: null,
    });
  });

  it('loads seeded records from log files and looks them up by resource', async () => {
    emu.state.cloudtrail.seed({
      Records: [
        {
          eventVersion: '1.08',
          userIdentity: {
            type: 'IAMUser',
            principalId: 'AIDAEXAMPLE',
            arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
            accountId: ACCOUNT,
            accessKeyId: 'AKIAEXAMPLE',
            userName: 'bob',
          },
          eventTime: '2026-02-27T08:00:00Z',
          eventSource: 's3.amazonaws.com',
          eventName: 'GetBucketPolicy',
          awsRegion: 'us-east-1',
          sourceIPAddress: '198.51.100.7',
          userAgent: 'aws-cli/2.15.0',
          requestParameters: { bucketName: 'logs' },
          responseElements: null,
          requestID: 'R1',
          eventID: 'e-1',
          readOnly: true,
          resources: [{ accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::logs' }],
          eventType: 'AwsApiCall',
          managementEvent: true,
          recipientAccountId: ACCOUNT,
        },
      ],
    });
    const byResource = await lookup({
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'arn:aws:s3:::logs' }],
    });
    expect(byResource.Events).toEqual([
      expect.objectContaining({
        EventId: 'e-1',
        EventName: 'GetBucketPolicy',
        Username: 'bob',
        ReadOnly: 'true',
        AccessKeyId: 'AKIAEXAMPLE',
        EventTime: new Date('2026-02-27T08:00:00Z'),
        Resources: [{ ResourceType: 'AWS::S3::Bucket', ResourceName: 'arn:aws:s3:::logs' }],
      }),
    ]);
    for (const [key, value] of [
      ['EventId', 'e-1'],
      ['EventSource', 's3.amazonaws.com'],
      ['AccessKeyId', 'AKIAEXAMPLE'],
      ['ResourceType', 'AWS::S3::Bucket'],
    ] as const) {
      const out = await lookup({
        LookupAttributes: [{ AttributeKey: key, AttributeValue: value }],
      });
      expect(out.Events!.map((e) => e.EventId)).toEqual(['e-1']);
    }
    // The lookups themselves are read-only management events too, as in AWS.
    const reads = await lookup({
      LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
    });
    expect(reads.Events!.map((e) => e.EventName)).toEqual([
      ...Array(5).fill('LookupEvents'),
      'GetBucketPolicy',
    ]);
  });
});

describe('LookupEvents', () => {
  async function createPolicies(n: number): Promise<void> {
    const iam = iamClient(emu);
    for (let i = 0; i < n; i++) {
      await iam.send(new CreatePolicyCommand({ PolicyName: `p${i}`, PolicyDocument: READ_LOGS }));
      emu.clock.advance(1000);
    }
  }

  it('pages newest first with MaxResults and NextToken', async () => {
    await createPolicies(7);
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await lookup({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreatePolicy' }],
        MaxResults: 3,
        NextToken: token,
      });
      pages += 1;
      names.push(
        ...out.Events!.map((e) => JSON.parse(e.CloudTrailEvent!).requestParameters.policyName),
      );
      token = out.NextToken;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toEqual(['p6', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0']);
  });

  it('refuses a NextToken passed with other parameters than the call that made it', async () => {
    await createPolicies(3);
    const byName = [{ AttributeKey: 'EventName' as const, AttributeValue: 'CreatePolicy' }];
    const first = await lookup({ LookupAttributes: byName, MaxResults: 1 });
    expect(first.NextToken).toBeDefined();
    const again = { LookupAttributes: byName, NextToken: first.NextToken };
    expect(await codeOf(lookup({ ...again, MaxResults: 1 }))).toBe('ok');
    expect(await codeOf(lookup({ NextToken: first.NextToken }))).toBe('InvalidNextTokenException');
    expect(
      await codeOf(
        lookup({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetPolicy' }],
          NextToken: first.NextToken,
        }),
      ),
    ).toBe('InvalidNextTokenException');
    expect(await codeOf(lookup({ ...again, StartTime: T0 }))).toBe('InvalidNextTokenException');
  });

  it('filters by time range and keeps 90 days', async () => {
    await createPolicies(3); // at T0, T0+1s, T0+2s
    const out = await lookup({
      StartTime: new Date(T0.getTime() + 1000),
      EndTime: new Date(T0.getTime() + 1500),
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreatePolicy' }],
    });
    expect(out.Events!.map((e) => e.EventTime)).toEqual([new Date(T0.getTime() + 1000)]);
    // 90 days after the second event (lookup() steps one more second): the first has aged out.
    emu.clock.set(new Date(T0.getTime() + 90 * DAY + 500 - 1000));
    const kept = await lookup({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreatePolicy' }],
    });
    expect(kept.Events!.length).toBe(2);
    expect(
      await codeOf(
        lookup({ StartTime: new Date(T0.getTime() + 5000), EndTime: new Date(T0.getTime()) }),
      ),
    ).toBe('InvalidTimeRangeException');
  });

  it('accepts exactly one lookup attribute with a known key', async () => {
    const two = await lookup({
      LookupAttributes: [
        { AttributeKey: 'EventName', AttributeValue: 'CreatePolicy' },
        { AttributeKey: 'Username', AttributeValue: 'emulator-admin' },
      ],
    }).catch((e: Error) => e);
    expect(two).toMatchObject({
      name: 'InvalidLookupAttributesException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(
      await codeOf(
        lookup({ LookupAttributes: [{ AttributeKey: 'Color' as never, AttributeValue: 'red' }] }),
      ),
    ).toBe('InvalidLookupAttributesException');
    expect(await codeOf(lookup({ MaxResults: 51 }))).toBe('InvalidMaxResultsException');
    expect(await codeOf(lookup({ NextToken: 'garbage' }))).toBe('InvalidNextTokenException');
  });

  it('throttles past 2 requests per second per account and region', async () => {
    emu.clock.advance(1000);
    const send = () => trail.send(new LookupEventsCommand({}));
    expect(await codeOf(send())).toBe('ok');
    expect(await codeOf(send())).toBe('ok');
    const third = await send().catch((e: Error) => e);
    expect(third).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    // Another region has its own quota.
    expect(await codeOf(west().send(new LookupEventsCommand({})))).toBe('ok');
    emu.clock.advance(500);
    expect(await codeOf(send())).toBe('ok');
    expect(await codeOf(send())).toBe('ThrottlingException');
  });

  it('lists an account region’s events only: IAM is global and logs to us-east-1', async () => {
    await createPolicies(1);
    emu.clock.advance(1000);
    const out = await west().send(new LookupEventsCommand({}));
    expect(out.Events!.filter((e) => e.EventSource === 'iam.amazonaws.com')).toEqual([]);
    const east = await lookup({
      LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'iam.amazonaws.com' }],
    });
    expect(east.Events!.length).toBe(1);
  });
});

describe('data events', () => {
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/waf`;
  /**
   * An S3 object read as CloudTrail logs it, in the shape of the real record in
   * ../shared/data/cloudtrail/otrf-ec2-proxy-s3-exfiltration (eventVersion 1.07): the record
   * says it is a data event, `managementEvent: false` and `eventCategory: "Data"`.
   */
  const s3Read = (id: string, extra: Record<string, unknown> = {}) => ({
    eventVersion: '1.07',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:i-0317f6c6b66ae9c40',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/waf/i-0317f6c6b66ae9c40`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAEXAMPLE',
      sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, userName: 'waf' } },
    },
    eventTime: '2026-02-28T09:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    requestParameters: { bucketName: 'bank', key: 'ring.txt' },
    responseElements: null,
    eventID: id,
    readOnly: true,
    resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::bank/ring.txt' }],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Data',
    ...extra,
  });
  const listBuckets = {
    ...s3Read('mgmt-1'),
    eventName: 'ListBuckets',
    requestParameters: null,
    resources: undefined,
    managementEvent: true,
    eventCategory: 'Management',
  };

  beforeEach(() =>
    emu.state.cloudtrail.seed({
      Records: [
        s3Read('data-1'),
        // Either field alone marks a data event (older records may lack one of them).
        s3Read('data-2', { eventCategory: undefined }),
        s3Read('data-3', { managementEvent: undefined }),
        s3Read('net-1', { eventCategory: 'NetworkActivity' }),
        listBuckets,
      ],
    }),
  );

  it('are never returned by LookupEvents, whatever the filter: management events only', async () => {
    const all = await lookup({
      LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 's3.amazonaws.com' }],
    });
    expect(all.Events!.map((e) => e.EventId)).toEqual(['mgmt-1']);
    for (const [key, value] of [
      ['EventName', 'GetObject'],
      ['EventId', 'data-1'],
      ['ResourceName', 'arn:aws:s3:::bank/ring.txt'],
      ['AccessKeyId', 'ASIAEXAMPLE'],
      ['Username', 'i-0317f6c6b66ae9c40'],
    ] as const) {
      const out = await lookup({
        LookupAttributes: [{ AttributeKey: key, AttributeValue: value }],
      });
      expect(out.Events!.map((e) => e.EventId).filter((id) => id !== 'mgmt-1')).toEqual([]);
    }
    expect((await lookup({ EventCategory: 'insight' })).Events).toEqual([]);
  });

  it('are in the trail: Athena reads them beside the management events', async () => {
    const athena = new AthenaClient({ ...emu.clientConfig(), maxAttempts: 1 });
    const { QueryExecutionId } = await athena.send(
      new StartQueryExecutionCommand({
        QueryString:
          'SELECT eventid, eventcategory FROM "default"."cloudtrail_logs" ' +
          "WHERE eventsource = 's3.amazonaws.com' ORDER BY eventid",
        ResultConfiguration: { OutputLocation: 's3://athena-results/jit/' },
      }),
    );
    let state: string | undefined;
    while (state !== 'SUCCEEDED' && state !== 'FAILED')
      state = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId })))
        .QueryExecution!.Status!.State;
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId }));
    expect(page.ResultSet!.Rows!.slice(1).map((r) => r.Data![0]!.VarCharValue)).toEqual([
      'data-1',
      'data-2',
      'data-3',
      'mgmt-1',
      'net-1',
    ]);
  });
});
