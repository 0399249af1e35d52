/**
 * One test per difference from AWS that emulators/aws/README.md lists, each asserting what the
 * emulator does there today: a change to any of them fails its test, and the README line that
 * names the test must change with it. Differences pinned elsewhere are named in the README.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { DescribeTrailsCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  GetPolicyCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import {
  AttachManagedPolicyToPermissionSetCommand,
  CreatePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListInstancesCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsEmulator } from '../../../emulators/aws/server.js';
import {
  ACCOUNT,
  T0,
  cloudTrailClient,
  codeOf,
  doc,
  iamClient,
  startAt,
  stsClient,
} from './world.js';

let emu: AwsEmulator;
beforeEach(async () => {
  emu = await startAt();
});
afterEach(() => emu.close());

const READ = doc({ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' });
const lookup = (input: ConstructorParameters<typeof LookupEventsCommand>[0] = {}) => {
  emu.clock.advance(1000); // past the 2-a-second quota
  return cloudTrailClient(emu).send(new LookupEventsCommand(input));
};
const seeded = (extra: Record<string, unknown>) => ({
  eventVersion: '1.05',
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/bob`, accountId: ACCOUNT },
  eventTime: '2026-02-28T09:00:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  awsRegion: 'us-east-1',
  eventID: 'old-1',
  recipientAccountId: ACCOUNT,
  ...extra,
});

describe('CloudTrail', () => {
  it('CT-1 a call is in LookupEvents at once', async () => {
    await iamClient(emu).send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: READ }));
    const out = await lookup({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreatePolicy' }],
    });
    expect(out.Events).toHaveLength(1);
  });

  it('CT-2 a call is in the Athena table at once', async () => {
    await iamClient(emu).send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: READ }));
    const athena = new AthenaClient({ ...emu.clientConfig(), maxAttempts: 1 });
    const { QueryExecutionId } = await athena.send(
      new StartQueryExecutionCommand({
        QueryString: `SELECT count(*) FROM "default"."cloudtrail_logs" WHERE eventname = 'CreatePolicy'`,
        ResultConfiguration: { OutputLocation: 's3://results/' },
      }),
    );
    let state: string | undefined;
    while (state !== 'SUCCEEDED' && state !== 'FAILED')
      state = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId })))
        .QueryExecution!.Status!.State;
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId }));
    expect(page.ResultSet!.Rows![1]!.Data![0]!.VarCharValue).toBe('1');
  });

  it('CT-3 Insights events are not emulated: EventCategory insight is always empty', async () => {
    emu.state.cloudtrail.seed([seeded({ eventCategory: 'Insight', eventID: 'insight-1' })]);
    expect((await lookup({ EventCategory: 'insight' })).Events).toEqual([]);
  });

  it('CT-4 a seeded record with neither managementEvent nor eventCategory is a management event', async () => {
    emu.state.cloudtrail.seed([seeded({})]);
    const out = await lookup({
      LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: 'old-1' }],
    });
    expect(out.Events!.map((e) => e.EventName)).toEqual(['GetObject']);
  });

  it('CT-5 a lookup attribute value is not checked for length', async () => {
    const empty = await lookup({
      LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: '' }],
    });
    expect(empty.Events).toEqual([]);
    const long = await lookup({
      LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'x'.repeat(3000) }],
    });
    expect(long.Events).toEqual([]);
  });

  it('CT-6 records carry no tlsDetails, the loopback address, and ISO dates in responseElements', async () => {
    await iamClient(emu).send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: READ }));
    const event = emu.state.cloudtrail.events.find((e) => e.eventName === 'CreatePolicy')!;
    expect(event.record).not.toHaveProperty('tlsDetails');
    expect(event.record.sourceIPAddress).toBe('127.0.0.1');
    expect(
      (event.record.responseElements as { policy: { createDate: string } }).policy.createDate,
    ).toBe('2026-03-01T10:00:00Z');
  });

  it('CT-7 only LookupEvents is served: other CloudTrail operations are unknown', async () => {
    expect(await codeOf(cloudTrailClient(emu).send(new DescribeTrailsCommand({})))).toBe(
      'UnknownOperationException',
    );
  });

  it('CT-8 the LookupEvents quota runs on the emulator clock: a frozen clock never refills it', async () => {
    const trail = cloudTrailClient(emu);
    emu.clock.advance(1000);
    const send = () => codeOf(trail.send(new LookupEventsCommand({})));
    expect([await send(), await send(), await send()]).toEqual(['ok', 'ok', 'ThrottlingException']);
    await new Promise((r) => setTimeout(r, 1100)); // real time passes; the emulator's does not
    expect(await send()).toBe('ThrottlingException');
  });
});

describe('IAM and STS', () => {
  it('IAM-1 request time is not checked: a request signed an hour off is accepted', async () => {
    const skewed = new IAMClient({ ...emu.clientConfig(), systemClockOffset: 3_600_000 });
    expect(
      await codeOf(skewed.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: READ }))),
    ).toBe('ok');
  });

  it('IAM-2 IAM is consistent at once: a new policy can be read and attached in the same instant', async () => {
    emu.state.addUser({ name: 'alice' });
    const iam = iamClient(emu);
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: READ }),
    );
    expect(await codeOf(iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn })))).toBe('ok');
    expect(
      await codeOf(
        iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: Policy!.Arn })),
      ),
    ).toBe('ok');
  });

  it('IAM-3 no request rate limit on IAM or STS unless a fault is injected', async () => {
    const iam = iamClient(emu, undefined, 1);
    const sts = stsClient(emu);
    const codes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        codeOf(
          i % 2
            ? iam.send(
                new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
              )
            : sts.send(new GetCallerIdentityCommand({})),
        ),
      ),
    );
    expect(new Set(codes)).toEqual(new Set(['ok']));
  });

  it('IAM-4 ReadOnlyAccess is abridged, and its *:Get* patterns match nothing: stricter', () => {
    emu.state.addUser({
      name: 'reader',
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
    const reader = `arn:aws:iam::${ACCOUNT}:user/reader`;
    const verdict = (action: string) =>
      emu.authorize({ principalArn: reader, action, resource: '*' });
    // AWS's ReadOnlyAccess allows these; the emulator's evaluator reads a service wildcard as
    // no match, so only the one action the policy names outright is allowed.
    expect(['iam:GetRole', 'ec2:DescribeInstances', 's3:GetObject'].map(verdict)).toEqual([
      'denied',
      'denied',
      'denied',
    ]);
    expect(verdict('cloudtrail:LookupEvents')).toBe('allowed');
  });

  it('IAM-5 SCPs, permission boundaries and resource policies are not evaluated', async () => {
    // Nothing in the emulator can hold them: an identity policy's Allow is the whole answer.
    emu.state.addUser({
      name: 'writer',
      inlinePolicies: {
        p: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:CreatePolicy', Resource: '*' }],
        },
      },
    });
    const key = emu.state.addAccessKey({ userName: 'writer' });
    expect(
      await codeOf(
        iamClient(emu, key).send(
          new CreatePolicyCommand({ PolicyName: 'w', PolicyDocument: READ }),
        ),
      ),
    ).toBe('ok');
  });

  it('IAM-6 the emulator clock is the only clock: T0 is when every call happens', async () => {
    await stsClient(emu).send(new GetCallerIdentityCommand({}));
    expect(emu.state.cloudtrail.events.at(-1)!.time).toEqual(T0);
  });
});

describe('Athena', () => {
  it('ATH-1 not emulated: DDL is refused at submit, StopQueryExecution is unknown, only primary exists', async () => {
    const athena = new AthenaClient({ ...emu.clientConfig(), maxAttempts: 1 });
    const submit = (QueryString: string, WorkGroup?: string) =>
      codeOf(
        athena.send(
          new StartQueryExecutionCommand({
            QueryString,
            ...(WorkGroup ? { WorkGroup } : {}),
            ResultConfiguration: { OutputLocation: 's3://results/' },
          }),
        ),
      );
    expect(await submit('CREATE EXTERNAL TABLE t (a string)')).toBe('InvalidRequestException');
    expect(await submit('SELECT 1', 'jit-access')).toBe('InvalidRequestException');
    expect(
      await codeOf(athena.send(new StopQueryExecutionCommand({ QueryExecutionId: 'x' }))),
    ).toBe('UnknownOperationException');
  });
});

describe('Identity Center', () => {
  it('IC-1 one instance, reached from any region', async () => {
    const west = new SSOAdminClient({
      ...emu.clientConfig(),
      region: 'ap-south-1',
      maxAttempts: 1,
    });
    const { Instances } = await west.send(new ListInstancesCommand({}));
    expect(Instances!.map((i) => i.InstanceArn)).toEqual([emu.identityCenter.instanceArn]);
  });

  it('IC-2 GetInlinePolicyForPermissionSet answers an empty string when there is none', async () => {
    const sso = new SSOAdminClient({ ...emu.clientConfig(), maxAttempts: 1 });
    const InstanceArn = emu.identityCenter.instanceArn;
    const { PermissionSet } = await sso.send(
      new CreatePermissionSetCommand({ InstanceArn, Name: 'empty' }),
    );
    const out = await sso.send(
      new GetInlinePolicyForPermissionSetCommand({
        InstanceArn,
        PermissionSetArn: PermissionSet!.PermissionSetArn,
      }),
    );
    expect(out.InlinePolicy).toBe('');
  });

  it('IC-3 managed policy attachments are not served', async () => {
    const sso = new SSOAdminClient({ ...emu.clientConfig(), maxAttempts: 1 });
    expect(
      await codeOf(
        sso.send(
          new AttachManagedPolicyToPermissionSetCommand({
            InstanceArn: emu.identityCenter.instanceArn,
            PermissionSetArn: `${emu.identityCenter.instanceArn.replace('instance', 'permissionSet')}/ps-0000000000000000`,
            ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
          }),
        ),
      ),
    ).toBe('UnknownOperationException');
  });

  it('IC-4 an unknown key is InvalidClientTokenId, as for IAM (JSON services: UnrecognizedClientException)', async () => {
    const sso = new SSOAdminClient({
      ...emu.clientConfig({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }),
      maxAttempts: 1,
    });
    expect(await codeOf(sso.send(new ListInstancesCommand({})))).toBe('InvalidClientTokenId');
  });
});
