import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { AwsEmulator } from '../../../emulators/aws/server.js';
import { ACCOUNT, T0, codeOf, doc, iamClient, startAt } from './world.js';

let emu: AwsEmulator;
let iam: IAMClient;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const TRUST = { Version: '2012-10-17', Statement: [] };

beforeEach(async () => {
  emu = await startAt();
  iam = iamClient(emu);
  emu.state.addGroup({ name: 'oncall' });
  emu.state.addUser({
    name: 'alice',
    path: '/people/',
    groups: ['oncall'],
    tags: [{ Key: 'team', Value: 'sre' }],
  });
  emu.state.addRole({ name: 'deployer', trustPolicy: TRUST, description: 'CI deploys' });
});
afterEach(() => emu.close());

async function policy(name: string): Promise<string> {
  const out = await iam.send(
    new CreatePolicyCommand({
      PolicyName: name,
      Path: '/jit/',
      PolicyDocument: doc({ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' }),
    }),
  );
  return out.Policy!.Arn!;
}

describe('attach and detach', () => {
  it('attaches to users, roles and groups, counts and lists the attachments', async () => {
    const arn = await policy('shared');
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: arn }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'oncall', PolicyArn: arn }));
    // Attaching again is a no-op success, as in IAM.
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount).toBe(
      3,
    );
    expect(
      (await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice' }))).AttachedPolicies,
    ).toEqual([{ PolicyName: 'shared', PolicyArn: arn }]);
    expect(
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'deployer' })))
        .AttachedPolicies,
    ).toEqual([{ PolicyName: 'shared', PolicyArn: arn }]);
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    const alice = emu.state.entity('user', ACCOUNT, 'alice')!;
    const role = emu.state.entity('role', ACCOUNT, 'deployer')!;
    const group = emu.state.entity('group', ACCOUNT, 'oncall')!;
    expect(entities).toMatchObject({
      PolicyUsers: [{ UserName: 'alice', UserId: alice.id }],
      PolicyRoles: [{ RoleName: 'deployer', RoleId: role.id }],
      PolicyGroups: [{ GroupName: 'oncall', GroupId: group.id }],
      IsTruncated: false,
    });
    const roles = await iam.send(
      new ListEntitiesForPolicyCommand({ PolicyArn: arn, EntityFilter: 'Role' }),
    );
    expect(roles).toMatchObject({
      PolicyUsers: [],
      PolicyGroups: [],
      PolicyRoles: [{ RoleName: 'deployer' }],
    });
    const people = await iam.send(
      new ListEntitiesForPolicyCommand({ PolicyArn: arn, PathPrefix: '/people/' }),
    );
    expect(people.PolicyUsers!.map((u) => u.UserName)).toEqual(['alice']);
    expect(people.PolicyRoles).toEqual([]);

    await iam.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: arn }));
    await iam.send(new DetachGroupPolicyCommand({ GroupName: 'oncall', PolicyArn: arn }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount).toBe(
      0,
    );
  });

  it('answers NoSuchEntity for unknown entities, policies and attachments', async () => {
    const arn = await policy('p');
    const error = await iam
      .send(new AttachUserPolicyCommand({ UserName: 'mallory', PolicyArn: arn }))
      .catch((e: Error) => e);
    expect(error).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The user with name mallory cannot be found.',
    });
    expect(
      await codeOf(
        iam.send(new AttachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: `${arn}-gone` })),
      ),
    ).toBe('NoSuchEntity');
    expect(
      await codeOf(iam.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }))),
    ).toBe('NoSuchEntity');
    expect(
      await codeOf(
        iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'policy' })),
      ),
    ).toBe('InvalidInput');
    expect(
      await codeOf(iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'mallory' }))),
    ).toBe('NoSuchEntity');
  });

  it('allows ten managed policies per principal, then LimitExceeded', async () => {
    const arns: string[] = [];
    for (let i = 0; i < 11; i++) arns.push(await policy(`p${i}`));
    for (const arn of arns.slice(0, 10))
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: arn }));
    const error = await iam
      .send(new AttachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: arns[10] }))
      .catch((e: Error) => e);
    expect(error).toMatchObject({
      name: 'LimitExceededException',
      message: 'Cannot exceed quota for PoliciesPerRole: 10',
      $metadata: { httpStatusCode: 409 },
    });
    // Re-attaching one already attached is still fine at the limit.
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: arns[0] }));
    const page1 = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: 'deployer', MaxItems: 4 }),
    );
    expect(page1).toMatchObject({ IsTruncated: true });
    const page2 = await iam.send(
      new ListAttachedRolePoliciesCommand({
        RoleName: 'deployer',
        MaxItems: 100,
        Marker: page1.Marker,
      }),
    );
    expect(page1.AttachedPolicies!.length + page2.AttachedPolicies!.length).toBe(10);
  });

  it('counts an AWS managed policy per account', async () => {
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: ADMIN }));
    emu.state.addUser({ accountId: '210987654321', name: 'elsewhere', managedPolicyArns: [ADMIN] });
    // The seeded admin and alice; the other account's user does not count here.
    expect(
      (await iam.send(new GetPolicyCommand({ PolicyArn: ADMIN }))).Policy!.AttachmentCount,
    ).toBe(2);
  });
});

describe('GetUser and GetRole', () => {
  it('describes a user, and the caller when no name is given', async () => {
    const alice = emu.state.entity('user', ACCOUNT, 'alice')!;
    expect((await iam.send(new GetUserCommand({ UserName: 'alice' }))).User).toEqual({
      Path: '/people/',
      UserName: 'alice',
      UserId: alice.id,
      Arn: `arn:aws:iam::${ACCOUNT}:user/people/alice`,
      CreateDate: T0,
      Tags: [{ Key: 'team', Value: 'sre' }],
    });
    expect((await iam.send(new GetUserCommand({}))).User!.UserName).toBe('emulator-admin');
    expect(await codeOf(iam.send(new GetUserCommand({ UserName: 'nobody' })))).toBe('NoSuchEntity');
  });

  it('describes a role with its URL-encoded trust policy', async () => {
    const out = await iam.send(new GetRoleCommand({ RoleName: 'deployer' }));
    expect(out.Role).toMatchObject({
      RoleName: 'deployer',
      Arn: `arn:aws:iam::${ACCOUNT}:role/deployer`,
      RoleId: expect.stringMatching(/^AROA/),
      Description: 'CI deploys',
      MaxSessionDuration: 3600,
    });
    expect(JSON.parse(decodeURIComponent(out.Role!.AssumeRolePolicyDocument!))).toEqual(TRUST);
    expect(await codeOf(iam.send(new GetRoleCommand({ RoleName: 'ghost' })))).toBe('NoSuchEntity');
  });
});
