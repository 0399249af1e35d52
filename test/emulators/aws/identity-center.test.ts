import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeleteInlinePolicyFromPermissionSetCommand,
  DeletePermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  ListTagsForResourceCommand,
  PutInlinePolicyToPermissionSetCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { AwsEmulator } from '../../../emulators/aws/server.js';
import type { StoreUser } from '../../../emulators/aws/sso/center.js';
import { errorOf, ssoAdmin } from './identity-center-world.js';
import { ACCOUNT, T0, doc, startAt } from './world.js';

let emu: AwsEmulator;
let sso: SSOAdminClient;
let alice: StoreUser;
let InstanceArn: string;
const MEMBER = '210987654321';
const READ = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });

beforeEach(async () => {
  emu = await startAt();
  emu.state.addAccount(MEMBER);
  alice = emu.identityCenter.addUser({ userName: 'alice' });
  InstanceArn = emu.identityCenter.instanceArn;
  sso = ssoAdmin(emu);
});
afterEach(() => emu.close());

const createSet = async (Name: string, extra: Record<string, unknown> = {}) =>
  (await sso.send(new CreatePermissionSetCommand({ InstanceArn, Name, ...extra }))).PermissionSet!
    .PermissionSetArn!;

const assign = (PermissionSetArn: string, TargetId = MEMBER) =>
  sso.send(
    new CreateAccountAssignmentCommand({
      InstanceArn,
      PermissionSetArn,
      TargetId,
      TargetType: 'AWS_ACCOUNT',
      PrincipalType: 'USER',
      PrincipalId: alice.UserId,
    }),
  );

const creationStatus = async (id: string) =>
  (
    await sso.send(
      new DescribeAccountAssignmentCreationStatusCommand({
        InstanceArn,
        AccountAssignmentCreationRequestId: id,
      }),
    )
  ).AccountAssignmentCreationStatus!;

describe('instances and permission sets', () => {
  it('lists the instance to its owner account only', async () => {
    const { Instances } = await sso.send(new ListInstancesCommand({}));
    expect(Instances).toEqual([
      expect.objectContaining({
        InstanceArn,
        IdentityStoreId: emu.identityCenter.identityStoreId,
        OwnerAccountId: ACCOUNT,
        Status: 'ACTIVE',
      }),
    ]);
    emu.state.addUser({ accountId: MEMBER, name: 'member-admin' });
    const key = emu.state.addAccessKey({
      accountId: MEMBER,
      userName: 'member-admin',
      admin: true,
    });
    const member = ssoAdmin(emu, key);
    expect((await member.send(new ListInstancesCommand({}))).Instances).toEqual([]);
    const error = await errorOf(member.send(new ListPermissionSetsCommand({ InstanceArn })));
    expect(error.name).toBe('ResourceNotFoundException');
  });

  it('creates, describes, pages, tags, holds an inline policy and deletes a permission set', async () => {
    const arn = await createSet('jit-1', {
      Description: 'PR 1',
      SessionDuration: 'PT2H',
      Tags: [{ Key: 'jit', Value: 'true' }],
    });
    expect(arn).toMatch(/^arn:aws:sso:::permissionSet\/ssoins-[0-9a-f]{16}\/ps-[0-9a-f]{16}$/);
    const { PermissionSet } = await sso.send(
      new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn: arn }),
    );
    expect(PermissionSet).toEqual({
      Name: 'jit-1',
      PermissionSetArn: arn,
      Description: 'PR 1',
      SessionDuration: 'PT2H',
      CreatedDate: T0,
    });

    const second = await createSet('jit-2');
    const page1 = await sso.send(new ListPermissionSetsCommand({ InstanceArn, MaxResults: 1 }));
    expect(page1.PermissionSets).toHaveLength(1);
    expect(page1.NextToken).toBeDefined();
    const page2 = await sso.send(
      new ListPermissionSetsCommand({ InstanceArn, MaxResults: 1, NextToken: page1.NextToken }),
    );
    expect(page2.NextToken).toBeUndefined();
    expect([...page1.PermissionSets!, ...page2.PermissionSets!].sort()).toEqual(
      [arn, second].sort(),
    );

    await sso.send(
      new TagResourceCommand({ InstanceArn, ResourceArn: arn, Tags: [{ Key: 'pr', Value: '1' }] }),
    );
    await sso.send(new UntagResourceCommand({ InstanceArn, ResourceArn: arn, TagKeys: ['jit'] }));
    expect(
      (await sso.send(new ListTagsForResourceCommand({ InstanceArn, ResourceArn: arn }))).Tags,
    ).toEqual([{ Key: 'pr', Value: '1' }]);

    await sso.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn,
        PermissionSetArn: arn,
        InlinePolicy: READ,
      }),
    );
    const get = () =>
      sso.send(new GetInlinePolicyForPermissionSetCommand({ InstanceArn, PermissionSetArn: arn }));
    expect((await get()).InlinePolicy).toBe(READ);
    await sso.send(
      new DeleteInlinePolicyFromPermissionSetCommand({ InstanceArn, PermissionSetArn: arn }),
    );
    expect((await get()).InlinePolicy).toBe('');

    await sso.send(new DeletePermissionSetCommand({ InstanceArn, PermissionSetArn: arn }));
    const gone = await errorOf(
      sso.send(new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn: arn })),
    );
    expect(gone).toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe('documented errors and limits', () => {
  it('refuses bad names, durations and duplicates with ValidationException / ConflictException', async () => {
    const name33 = 'a'.repeat(33);
    expect(await errorOf(createSet(name33))).toMatchObject({
      name: 'ValidationException',
      message: `1 validation error detected: Value '${name33}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 32`,
      $metadata: { httpStatusCode: 400 },
    });
    expect(await errorOf(createSet('has space'))).toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(
        'Member must satisfy regular expression pattern: [\\w+=,.@-]+',
      ),
    });
    for (const SessionDuration of ['PT30M', 'PT13H', '1 hour'])
      expect((await errorOf(createSet('x', { SessionDuration }))).name).toBe('ValidationException');
    await createSet('x', { SessionDuration: 'PT12H' });
    expect(await errorOf(createSet('x'))).toMatchObject({
      name: 'ConflictException',
      message: 'PermissionSet with name x already exists.',
      $metadata: { httpStatusCode: 409 },
    });
  });

  it('limits inline policies to 10,240 non-whitespace characters and valid identity policies', async () => {
    const arn = await createSet('jit-1');
    const put = (InlinePolicy: string) =>
      sso.send(
        new PutInlinePolicyToPermissionSetCommand({
          InstanceArn,
          PermissionSetArn: arn,
          InlinePolicy,
        }),
      );
    const actions = Array.from({ length: 600 }, (_, i) => `s3:GetObject${i}`);
    const big = doc({ Effect: 'Allow', Action: actions, Resource: '*' });
    expect(big.replace(/\s/g, '').length).toBeGreaterThan(10_240);
    expect((await errorOf(put(big))).name).toBe('ValidationException');
    expect((await errorOf(put('{not json'))).name).toBe('ValidationException');
    expect(
      (await errorOf(put(doc({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }))))
        .name,
    ).toBe('ValidationException');
    // Whitespace does not count towards the 10,240: a padded policy under 32,768 is accepted.
    await put(READ + ' '.repeat(20_000));
    expect((await errorOf(put(READ + ' '.repeat(32_768)))).name).toBe('ValidationException');
  });

  it('enforces the permission set and tag quotas with ServiceQuotaExceededException', async () => {
    for (let i = 0; i < 2000; i++) emu.identityCenter.createPermissionSet({ name: `seed-${i}` });
    expect(await errorOf(createSet('one-too-many'))).toMatchObject({
      name: 'ServiceQuotaExceededException',
      $metadata: { httpStatusCode: 402 },
    });
    const arn = [...emu.identityCenter.permissionSets.keys()][0]!;
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(
      (
        await errorOf(
          sso.send(new TagResourceCommand({ InstanceArn, ResourceArn: arn, Tags: tags })),
        )
      ).name,
    ).toBe('ServiceQuotaExceededException');
  });

  it('answers ResourceNotFoundException for unknown permission sets and requests', async () => {
    const arn = `arn:aws:sso:::permissionSet/${InstanceArn.split('/')[1]}/ps-0123456789abcdef`;
    expect((await errorOf(assign(arn))).name).toBe('ResourceNotFoundException');
    expect((await errorOf(creationStatus('c1b30804-64b2-4c4e-8186-60ba348c85c2'))).name).toBe(
      'ResourceNotFoundException',
    );
  });
});

describe('asynchronous assignment requests', () => {
  it('are IN_PROGRESS until polled to SUCCEEDED, and only then assigned', async () => {
    const arn = await createSet('jit-1');
    const started = (await assign(arn)).AccountAssignmentCreationStatus!;
    expect(started).toMatchObject({
      Status: 'IN_PROGRESS',
      TargetId: MEMBER,
      PrincipalId: alice.UserId,
    });
    const list = async () =>
      (
        await sso.send(
          new ListAccountAssignmentsCommand({
            InstanceArn,
            AccountId: MEMBER,
            PermissionSetArn: arn,
          }),
        )
      ).AccountAssignments;
    expect(await list()).toEqual([]);
    expect((await creationStatus(started.RequestId!)).Status).toBe('IN_PROGRESS');
    expect((await creationStatus(started.RequestId!)).Status).toBe('IN_PROGRESS');
    expect(await list()).toEqual([]);
    expect((await creationStatus(started.RequestId!)).Status).toBe('SUCCEEDED');
    expect(await list()).toEqual([
      {
        AccountId: MEMBER,
        PermissionSetArn: arn,
        PrincipalType: 'USER',
        PrincipalId: alice.UserId,
      },
    ]);
  });

  it('end after emulator time when completion is time-based, polled or not', async () => {
    emu.identityCenter.completion.afterMs = 30_000;
    const arn = await createSet('jit-1');
    const id = (await assign(arn)).AccountAssignmentCreationStatus!.RequestId!;
    for (let i = 0; i < 5; i++) expect((await creationStatus(id)).Status).toBe('IN_PROGRESS');
    emu.clock.advance(30_000);
    expect(emu.identityCenter.provisionedRole(arn, MEMBER)).toBeUndefined();
    const list = await sso.send(
      new ListAccountAssignmentsCommand({ InstanceArn, AccountId: MEMBER, PermissionSetArn: arn }),
    );
    expect(list.AccountAssignments).toHaveLength(1);
    expect((await creationStatus(id)).Status).toBe('SUCCEEDED');
  });

  it('end FAILED with the injected FailureReason, changing nothing', async () => {
    emu.identityCenter.failNext('create', 'Received a 404 status error: IAM role quota exceeded.');
    const arn = await createSet('jit-1');
    const id = (await assign(arn)).AccountAssignmentCreationStatus!.RequestId!;
    let status = await creationStatus(id);
    while (status.Status === 'IN_PROGRESS') status = await creationStatus(id);
    expect(status).toMatchObject({
      Status: 'FAILED',
      FailureReason: 'Received a 404 status error: IAM role quota exceeded.',
    });
    expect(emu.identityCenter.assignments).toEqual([]);
    expect(emu.identityCenter.provisionedRole(arn, MEMBER)).toBeUndefined();
  });

  it('refuse a second change on the same permission set and account while one is in progress', async () => {
    const arn = await createSet('jit-1');
    const id = (await assign(arn)).AccountAssignmentCreationStatus!.RequestId!;
    const again = await errorOf(assign(arn));
    expect(again).toMatchObject({ name: 'ConflictException', $metadata: { httpStatusCode: 409 } });
    const del = () =>
      sso.send(
        new DeleteAccountAssignmentCommand({
          InstanceArn,
          PermissionSetArn: arn,
          TargetId: MEMBER,
          TargetType: 'AWS_ACCOUNT',
          PrincipalType: 'USER',
          PrincipalId: alice.UserId,
        }),
      );
    expect((await errorOf(del())).name).toBe('ConflictException');
    // Another account is another role: no conflict.
    await assign(arn, ACCOUNT);
    while ((await creationStatus(id)).Status === 'IN_PROGRESS');
    const deletion = (await del()).AccountAssignmentDeletionStatus!;
    expect(deletion.Status).toBe('IN_PROGRESS');
    let status = deletion;
    while (status.Status === 'IN_PROGRESS')
      status = (
        await sso.send(
          new DescribeAccountAssignmentDeletionStatusCommand({
            InstanceArn,
            AccountAssignmentDeletionRequestId: deletion.RequestId,
          }),
        )
      ).AccountAssignmentDeletionStatus!;
    expect(status.Status).toBe('SUCCEEDED');
  });

  it('refuse DeletePermissionSet while the set is assigned', async () => {
    const arn = await createSet('jit-1');
    const id = (await assign(arn)).AccountAssignmentCreationStatus!.RequestId!;
    while ((await creationStatus(id)).Status === 'IN_PROGRESS');
    const error = await errorOf(
      sso.send(new DeletePermissionSetCommand({ InstanceArn, PermissionSetArn: arn })),
    );
    expect(error.name).toBe('ConflictException');
    expect(emu.identityCenter.permissionSets.has(arn)).toBe(true);
  });
});

describe('faults', () => {
  it('throttling and 5xx are retried by the SDK; a dropped answer meets its own success as a conflict', async () => {
    const retrying = ssoAdmin(emu, undefined, 3);
    emu.faults.inject({ action: 'CreatePermissionSet', kind: 'throttle' });
    emu.faults.inject({ action: 'CreateAccountAssignment', kind: '5xx' });
    const arn = (
      await retrying.send(new CreatePermissionSetCommand({ InstanceArn, Name: 'jit-1' }))
    ).PermissionSet!.PermissionSetArn!;
    const created = await retrying.send(
      new CreateAccountAssignmentCommand({
        InstanceArn,
        PermissionSetArn: arn,
        TargetId: MEMBER,
        TargetType: 'AWS_ACCOUNT',
        PrincipalType: 'USER',
        PrincipalId: alice.UserId,
      }),
    );
    expect(created.AccountAssignmentCreationStatus!.Status).toBe('IN_PROGRESS');
    const throttled = emu.state.cloudtrail.events.filter(
      (e) => e.record.errorCode === 'ThrottlingException',
    );
    expect(throttled.map((e) => e.eventName)).toEqual(['CreatePermissionSet']);

    emu.faults.inject({ action: 'CreatePermissionSet', kind: 'drop-after-apply' });
    const dropped = await errorOf(
      retrying.send(new CreatePermissionSetCommand({ InstanceArn, Name: 'jit-2' })),
    );
    expect(dropped.name).toBe('ConflictException');
    expect([...emu.identityCenter.permissionSets.values()].map((p) => p.name)).toContain('jit-2');

    emu.faults.inject({
      action: 'DescribeAccountAssignmentCreationStatus',
      kind: 'throttle',
      times: 5,
    });
    expect(
      (await errorOf(creationStatus(created.AccountAssignmentCreationStatus!.RequestId!))).name,
    ).toBe('ThrottlingException');
  });
});
