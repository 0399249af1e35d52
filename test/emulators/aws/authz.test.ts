import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  GetUserCommand,
  ListPoliciesCommand,
} from '@aws-sdk/client-iam';
import type { AwsEmulator } from '../../../emulators/aws/server.js';
import { ACCOUNT, T0, codeOf, doc, iamClient, startAt } from './world.js';

let emu: AwsEmulator;
const JIT = 'arn:aws:iam::*:policy/jit/*';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/jit-broker/grant`;
const READ_LOGS = doc({ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' });

/** The broker as DESIGN.md scopes it: policies under /jit/ only, attachable only if under /jit/. */
const BROKER_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['iam:CreatePolicy', 'iam:GetPolicy', 'iam:DeletePolicy', 'iam:TagPolicy'],
      Resource: JIT,
    },
    { Effect: 'Allow', Action: 'iam:ListPolicies', Resource: '*' },
    {
      Effect: 'Allow',
      Action: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
      Resource: 'arn:aws:iam::*:user/*',
      Condition: { ArnLike: { 'iam:PolicyARN': JIT } },
    },
  ],
};

beforeEach(async () => {
  emu = await startAt();
  emu.state.addUser({ name: 'alice' });
  const role = emu.state.addRole({
    name: 'jit-broker',
    trustPolicy: { Version: '2012-10-17', Statement: [] },
    inlinePolicies: { broker: BROKER_POLICY },
  });
  broker = emu.state.addRoleSession({ role, sessionName: 'grant' });
});
afterEach(() => emu.close());

let broker: ReturnType<AwsEmulator['state']['addRoleSession']>;

describe('a broker scoped to policy/jit/*', () => {
  it('creates and attaches /jit/ policies', async () => {
    const iam = iamClient(emu, broker);
    const out = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'jit-1', Path: '/jit/', PolicyDocument: READ_LOGS }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: out.Policy!.Arn }));
    expect(emu.state.entity('user', ACCOUNT, 'alice')!.attached).toEqual([out.Policy!.Arn]);
    expect(await codeOf(iam.send(new ListPoliciesCommand({ PathPrefix: '/jit/' })))).toBe('ok');
  });

  it('gets AccessDenied outside /jit/, and on attaching AdministratorAccess', async () => {
    const iam = iamClient(emu, broker);
    const error = await iam
      .send(
        new CreatePolicyCommand({ PolicyName: 'root', Path: '/admin/', PolicyDocument: READ_LOGS }),
      )
      .catch((e: Error) => e);
    expect(error).toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
      message:
        `User: ${SESSION} is not authorized to perform: iam:CreatePolicy on resource: ` +
        `arn:aws:iam::${ACCOUNT}:policy/admin/root because no identity-based policy allows the iam:CreatePolicy action`,
    });
    expect(emu.state.policies.has(`arn:aws:iam::${ACCOUNT}:policy/admin/root`)).toBe(false);

    const attach = await iam
      .send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: ADMIN }))
      .catch((e: Error) => e);
    expect(attach).toMatchObject({ name: 'AccessDenied' });
    expect(emu.state.entity('user', ACCOUNT, 'alice')!.attached).toEqual([]);

    const other = emu.state.addManagedPolicy({ name: 'ops', path: '/ops/', document: READ_LOGS });
    expect(await codeOf(iam.send(new DeletePolicyCommand({ PolicyArn: other.arn })))).toBe(
      'AccessDenied',
    );
    expect(await codeOf(iam.send(new GetUserCommand({ UserName: 'alice' })))).toBe('AccessDenied');
  });

  it('honours an explicit deny over an allow', async () => {
    const role = emu.state.entity('role', ACCOUNT, 'jit-broker')!;
    role.inlinePolicies.set('guard', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Action: 'iam:CreatePolicy',
          Resource: 'arn:aws:iam::*:policy/jit/forbidden*',
        },
      ],
    });
    const error = await iamClient(emu, broker)
      .send(
        new CreatePolicyCommand({
          PolicyName: 'forbidden-1',
          Path: '/jit/',
          PolicyDocument: READ_LOGS,
        }),
      )
      .catch((e: Error) => e);
    expect(error).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('with an explicit deny in an identity-based policy'),
    });
  });
});

describe('tag-based authorisation', () => {
  const only = (statement: Record<string, unknown>) => {
    const role = emu.state.entity('role', ACCOUNT, 'jit-broker')!;
    role.inlinePolicies.set('broker', JSON.parse(doc(statement)));
  };

  it('needs iam:TagPolicy as well to tag a policy on creation', async () => {
    only({ Effect: 'Allow', Action: 'iam:CreatePolicy', Resource: JIT });
    const iam = iamClient(emu, broker);
    const tagged = await iam
      .send(
        new CreatePolicyCommand({
          PolicyName: 'jit-t',
          Path: '/jit/',
          PolicyDocument: READ_LOGS,
          Tags: [{ Key: 'jit:managed', Value: 'true' }],
        }),
      )
      .catch((e: Error) => e);
    expect(tagged).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('iam:TagPolicy'),
    });
    expect(
      await codeOf(
        iam.send(
          new CreatePolicyCommand({
            PolicyName: 'jit-u',
            Path: '/jit/',
            PolicyDocument: READ_LOGS,
          }),
        ),
      ),
    ).toBe('ok');
  });

  it('offers aws:ResourceTag and aws:RequestTag conditions', async () => {
    only({
      Effect: 'Allow',
      Action: ['iam:CreatePolicy', 'iam:TagPolicy', 'iam:DeletePolicy'],
      Resource: JIT,
      Condition: { StringEquals: { 'aws:ResourceTag/jit:managed': 'true' } },
    });
    const mine = emu.state.addManagedPolicy({
      name: 'mine',
      path: '/jit/',
      document: READ_LOGS,
      tags: [{ Key: 'jit:managed', Value: 'true' }],
    });
    const foreign = emu.state.addManagedPolicy({
      name: 'foreign',
      path: '/jit/',
      document: READ_LOGS,
    });
    const iam = iamClient(emu, broker);
    expect(await codeOf(iam.send(new DeletePolicyCommand({ PolicyArn: foreign.arn })))).toBe(
      'AccessDenied',
    );
    expect(await codeOf(iam.send(new DeletePolicyCommand({ PolicyArn: mine.arn })))).toBe('ok');

    only({
      Effect: 'Allow',
      Action: ['iam:CreatePolicy', 'iam:TagPolicy'],
      Resource: JIT,
      Condition: { StringEquals: { 'aws:RequestTag/jit:managed': 'true' } },
    });
    const create = (value: string) =>
      iam.send(
        new CreatePolicyCommand({
          PolicyName: `jit-${value}`,
          Path: '/jit/',
          PolicyDocument: READ_LOGS,
          Tags: [{ Key: 'jit:managed', Value: value }],
        }),
      );
    expect(await codeOf(create('false'))).toBe('AccessDenied');
    expect(await codeOf(create('true'))).toBe('ok');
  });
});

describe('time-bound policies', () => {
  const start = new Date(T0.getTime() + 60_000);
  const end = new Date(T0.getTime() + 3_600_000);
  const bounded = (action: string) =>
    doc({
      Effect: 'Allow',
      Action: action,
      Resource: '*',
      Condition: {
        DateGreaterThan: { 'aws:CurrentTime': start.toISOString() },
        DateLessThan: { 'aws:CurrentTime': end.toISOString() },
      },
    });

  it('emu.authorize allows inside the window and denies before and after it', () => {
    const grant = emu.state.addManagedPolicy({
      name: 'jit-logs',
      path: '/jit/',
      document: bounded('logs:GetLogEvents'),
    });
    const alice = emu.state.entity('user', ACCOUNT, 'alice')!;
    emu.state.attach(alice, grant);
    const ask = () =>
      emu.authorize({
        principalArn: alice.arn,
        action: 'logs:GetLogEvents',
        resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:app:log-stream:1`,
      });
    expect(ask()).toBe('denied');
    emu.clock.set(new Date(start.getTime() + 1000));
    expect(ask()).toBe('allowed');
    expect(
      emu.authorize({
        principalArn: alice.arn,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
      }),
    ).toBe('denied');
    emu.clock.set(end);
    expect(ask()).toBe('denied');
  });

  it('bounds real API calls by the emulator clock too', async () => {
    const grant = emu.state.addManagedPolicy({
      name: 'jit-iam',
      path: '/jit/',
      document: bounded('iam:GetUser'),
    });
    emu.state.attach(emu.state.entity('user', ACCOUNT, 'alice')!, grant);
    const iam = iamClient(emu, emu.state.addAccessKey({ userName: 'alice' }));
    emu.clock.set(new Date(start.getTime() + 1000));
    expect(await codeOf(iam.send(new GetUserCommand({})))).toBe('ok');
    emu.clock.advance(3_600_000);
    expect(await codeOf(iam.send(new GetUserCommand({})))).toBe('AccessDenied');
  });

  it('answers for role sessions and unknown principals', () => {
    expect(
      emu.authorize({
        principalArn: SESSION,
        action: 'iam:CreatePolicy',
        resource: `arn:aws:iam::${ACCOUNT}:policy/jit/x`,
      }),
    ).toBe('allowed');
    expect(
      emu.authorize({
        principalArn: `arn:aws:iam::${ACCOUNT}:user/ghost`,
        action: 'iam:GetUser',
        resource: '*',
      }),
    ).toBe('denied');
  });
});
