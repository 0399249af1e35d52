import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPoliciesCommand,
  type ListPoliciesCommandInput,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { AwsEmulator } from '../../../emulators/aws/server.js';
import { ACCOUNT, T0, codeOf, doc, iamClient, startAt } from './world.js';

let emu: AwsEmulator;
let iam: IAMClient;

beforeEach(async () => {
  emu = await startAt();
  iam = iamClient(emu);
});
afterEach(() => emu.close());

const READ_LOGS = doc({ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' });

async function create(name: string, path = '/jit/', document = READ_LOGS): Promise<string> {
  const out = await iam.send(
    new CreatePolicyCommand({ PolicyName: name, Path: path, PolicyDocument: document }),
  );
  return out.Policy!.Arn!;
}

describe('CreatePolicy and GetPolicy', () => {
  it('creates a customer managed policy with path, description and tags', async () => {
    const out = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'jit-req-1',
        Path: '/jit/',
        PolicyDocument: READ_LOGS,
        Description: 'grant for request 1',
        Tags: [
          { Key: 'jit:request', Value: 'req-1' },
          { Key: 'jit:expires', Value: '2026-03-01T12:00:00Z' },
        ],
      }),
    );
    expect(out.Policy).toEqual({
      PolicyName: 'jit-req-1',
      PolicyId: expect.stringMatching(/^ANPA[A-Z2-7]{17}$/),
      Arn: `arn:aws:iam::${ACCOUNT}:policy/jit/jit-req-1`,
      Path: '/jit/',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      Description: 'grant for request 1',
      CreateDate: T0,
      UpdateDate: T0,
      Tags: [
        { Key: 'jit:request', Value: 'req-1' },
        { Key: 'jit:expires', Value: '2026-03-01T12:00:00Z' },
      ],
    });
    const got = await iam.send(new GetPolicyCommand({ PolicyArn: out.Policy!.Arn }));
    expect(got.Policy).toEqual(out.Policy);
  });

  it('returns the document URL-encoded, exactly as submitted', async () => {
    const text =
      '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::a/b c"}]\n}';
    const arn = await create('spaced', '/jit/', text);
    const out = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    expect(out.PolicyVersion).toEqual({
      Document: encodeURIComponent(text),
      VersionId: 'v1',
      IsDefaultVersion: true,
      CreateDate: T0,
    });
    expect(decodeURIComponent(out.PolicyVersion!.Document!)).toBe(text);
  });

  it('refuses a duplicate name in the account, whatever the path', async () => {
    await create('dup', '/jit/');
    expect(await codeOf(create('dup', '/other/'))).toBe('EntityAlreadyExists');
  });

  it('refuses malformed documents with MalformedPolicyDocument', async () => {
    expect(await codeOf(create('a', '/jit/', '{not json'))).toBe('MalformedPolicyDocument');
    expect(
      await codeOf(create('b', '/jit/', doc({ Effect: 'Permit', Action: 's3:*', Resource: '*' }))),
    ).toBe('MalformedPolicyDocument');
    expect(
      await codeOf(
        create(
          'c',
          '/jit/',
          doc({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }),
        ),
      ),
    ).toBe('MalformedPolicyDocument');
    expect(await codeOf(create('d', '/jit/', doc({ Effect: 'Allow', Action: 's3:*' })))).toBe(
      'MalformedPolicyDocument',
    );
  });

  it('enforces the 6,144 character quota, not counting whitespace', async () => {
    const statement = (n: number) => ({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${'x'.repeat(n)}`,
    });
    const base = doc(statement(0)).length;
    const fits = doc(statement(6144 - base));
    expect(fits.length).toBe(6144);
    expect(await codeOf(create('fits', '/jit/', fits.replace(/,/g, ',   \n')))).toBe('ok');
    const over = doc(statement(6145 - base));
    const error = await iam
      .send(new CreatePolicyCommand({ PolicyName: 'over', PolicyDocument: over }))
      .catch((e: Error) => e);
    expect(error).toMatchObject({
      name: 'LimitExceededException',
      message: 'Cannot exceed quota for PolicySize: 6144',
    });
  });

  it('validates names and paths', async () => {
    expect(await codeOf(create('bad name', '/jit/'))).toBe('ValidationError');
    expect(await codeOf(create('ok', 'jit'))).toBe('ValidationError');
  });

  it('answers NoSuchEntity for an unknown policy and InvalidInput for a malformed ARN', async () => {
    const missing = await iam
      .send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/jit/nope` }))
      .catch((e: { name: string; message: string; $metadata: { httpStatusCode: number } }) => e);
    expect(missing).toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy arn:aws:iam::${ACCOUNT}:policy/jit/nope does not exist or is not attachable.`,
      $metadata: { httpStatusCode: 404 },
    });
    expect(await codeOf(iam.send(new GetPolicyCommand({ PolicyArn: 'not-an-arn' })))).toBe(
      'InvalidInput',
    );
    expect(
      await codeOf(
        iam.send(new GetPolicyVersionCommand({ PolicyArn: await create('v'), VersionId: 'v9' })),
      ),
    ).toBe('NoSuchEntity');
  });

  it('serves the seeded AWS managed policies', async () => {
    const out = await iam.send(
      new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    );
    expect(out.Policy).toMatchObject({
      PolicyName: 'AdministratorAccess',
      Path: '/',
      AttachmentCount: 1,
    });
  });
});

describe('ListPolicies', () => {
  it('filters by scope, path prefix and attachment', async () => {
    await create('jit-a');
    await create('jit-b');
    const other = await create('ops', '/ops/');
    await iam.send(new AttachUserPolicyCommand({ UserName: 'emulator-admin', PolicyArn: other }));
    const names = async (input: ListPoliciesCommandInput) =>
      (await iam.send(new ListPoliciesCommand(input))).Policies!.map((p) => p.PolicyName);
    expect(await names({ Scope: 'Local' })).toEqual(['jit-a', 'jit-b', 'ops']);
    expect(await names({ Scope: 'AWS' })).toEqual(['AdministratorAccess', 'ReadOnlyAccess']);
    expect(await names({})).toEqual([
      'AdministratorAccess',
      'ReadOnlyAccess',
      'jit-a',
      'jit-b',
      'ops',
    ]);
    expect(await names({ Scope: 'Local', PathPrefix: '/jit/' })).toEqual(['jit-a', 'jit-b']);
    expect(await names({ OnlyAttached: true })).toEqual(['AdministratorAccess', 'ops']);
    const listed = await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/jit/' }));
    // Descriptions and tags are GetPolicy's; ListPolicies leaves them out, as AWS does.
    expect(listed.Policies![0]).not.toHaveProperty('Tags');
    expect(listed.IsTruncated).toBe(false);
    expect(listed.Marker).toBeUndefined();
  });

  it('pages with MaxItems and Marker until IsTruncated is false', async () => {
    for (let i = 0; i < 7; i++) await create(`jit-${i}`);
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const out = await iam.send(
        new ListPoliciesCommand({
          Scope: 'Local',
          PathPrefix: '/jit/',
          MaxItems: 3,
          Marker: marker,
        }),
      );
      pages += 1;
      seen.push(...out.Policies!.map((p) => p.PolicyName!));
      expect(out.Policies!.length).toBeLessThanOrEqual(3);
      marker = out.IsTruncated ? out.Marker : undefined;
      if (out.IsTruncated) expect(out.Marker).toBeDefined();
    } while (marker);
    expect(pages).toBe(3);
    expect(seen).toEqual(['jit-0', 'jit-1', 'jit-2', 'jit-3', 'jit-4', 'jit-5', 'jit-6']);
    expect(await codeOf(iam.send(new ListPoliciesCommand({ Marker: '!!' })))).toBe('InvalidInput');
  });
});

describe('policy tags', () => {
  it('tags, lists and untags', async () => {
    const arn = await create('tagged');
    await iam.send(
      new TagPolicyCommand({
        PolicyArn: arn,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'a', Value: 'one' }] }));
    expect((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags).toEqual([
      { Key: 'a', Value: 'one' },
      { Key: 'b', Value: '2' },
    ]);
    await iam.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: ['a'] }));
    const out = await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }));
    expect(out).toMatchObject({ Tags: [{ Key: 'b', Value: '2' }], IsTruncated: false });
  });

  it('allows at most 50 tags', async () => {
    const arn = await create('many');
    const tags = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ Key: `k${from + i}`, Value: 'v' }));
    await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: tags(0, 50) }));
    expect(
      await codeOf(iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: tags(50, 1) }))),
    ).toBe('LimitExceeded');
    expect(
      await codeOf(iam.send(new TagPolicyCommand({ PolicyArn: `${arn}x`, Tags: tags(0, 1) }))),
    ).toBe('NoSuchEntity');
  });
});

describe('policy versions', () => {
  it('creates, lists newest first, switches default and deletes versions', async () => {
    const arn = await create('versioned');
    emu.clock.advance(60_000);
    const v2 = await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: READ_LOGS,
        SetAsDefault: true,
      }),
    );
    expect(v2.PolicyVersion).toEqual({
      VersionId: 'v2',
      IsDefaultVersion: true,
      CreateDate: new Date(T0.getTime() + 60_000),
    });
    const listed = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(listed.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v2', true],
      ['v1', false],
    ]);
    expect(listed.Versions![0]).not.toHaveProperty('Document');
    expect(
      (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId,
    ).toBe('v2');

    expect(
      await codeOf(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))),
    ).toBe('DeleteConflict');
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    expect(
      await codeOf(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))),
    ).toBe('NoSuchEntity');
  });

  it('keeps at most five versions', async () => {
    const arn = await create('five');
    for (let i = 2; i <= 5; i++)
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: READ_LOGS }));
    expect(
      await codeOf(
        iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: READ_LOGS })),
      ),
    ).toBe('LimitExceeded');
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
    const v6 = await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: READ_LOGS }),
    );
    // Version ids are never reused.
    expect(v6.PolicyVersion!.VersionId).toBe('v6');
  });
});

describe('DeletePolicy', () => {
  it('conflicts while attached or with extra versions, then deletes', async () => {
    const arn = await create('doomed');
    await iam.send(new AttachUserPolicyCommand({ UserName: 'emulator-admin', PolicyArn: arn }));
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: READ_LOGS }));
    const attached = await iam
      .send(new DeletePolicyCommand({ PolicyArn: arn }))
      .catch((e: Error) => e);
    expect(attached).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete a policy attached to entities.',
      $metadata: { httpStatusCode: 409 },
    });
    await iam.send(new DetachUserPolicyCommand({ UserName: 'emulator-admin', PolicyArn: arn }));
    expect(await codeOf(iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).toBe(
      'DeleteConflict',
    );
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    expect(await codeOf(iam.send(new GetPolicyCommand({ PolicyArn: arn })))).toBe('NoSuchEntity');
    expect(await codeOf(iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).toBe(
      'NoSuchEntity',
    );
  });

  it('never deletes an AWS managed policy', async () => {
    expect(
      await codeOf(
        iam.send(new DeletePolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
      ),
    ).toBe('AccessDenied');
  });
});
