import { GetUserCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsEmulator } from '../../../emulators/aws/server.js';
import { ACCOUNT, codeOf, iamClient, startAt, stsClient } from './world.js';

let emu: AwsEmulator;

beforeEach(async () => {
  emu = await startAt();
});
afterEach(() => emu.close());

describe('SigV4 authentication', () => {
  it('accepts the seeded admin key on IAM and STS', async () => {
    expect(await codeOf(iamClient(emu).send(new GetUserCommand({})))).toBe('ok');
    const me = await stsClient(emu).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/emulator-admin`);
  });

  it('refuses a wrong secret with SignatureDoesNotMatch', async () => {
    const keys = { accessKeyId: emu.admin.accessKeyId, secretAccessKey: 'wrong' };
    const error = await iamClient(emu, keys, 1)
      .send(new GetUserCommand({}))
      .catch((e: Error) => e);
    expect(error).toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('refuses an unknown key with InvalidClientTokenId', async () => {
    const keys = { accessKeyId: 'AKIAUNKNOWNUNKNOWN12', secretAccessKey: 'x' };
    expect(await codeOf(stsClient(emu, keys).send(new GetCallerIdentityCommand({})))).toBe(
      'InvalidClientTokenId',
    );
  });

  it('requires the session token of a session key, and refuses it once expired', async () => {
    const role = emu.state.addRole({
      name: 'r',
      trustPolicy: { Version: '2012-10-17', Statement: [] },
    });
    const session = emu.state.addRoleSession({ role, sessionName: 's', durationSeconds: 900 });
    const sts = (token?: string) =>
      stsClient(emu, {
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
        sessionToken: token,
      });
    expect(await codeOf(sts(session.sessionToken).send(new GetCallerIdentityCommand({})))).toBe(
      'ok',
    );
    expect(await codeOf(sts().send(new GetCallerIdentityCommand({})))).toBe('InvalidClientTokenId');
    expect(await codeOf(sts('forged').send(new GetCallerIdentityCommand({})))).toBe(
      'InvalidClientTokenId',
    );
    emu.clock.advance(900_000);
    expect(await codeOf(sts(session.sessionToken).send(new GetCallerIdentityCommand({})))).toBe(
      'ExpiredToken',
    );
  });

  it('refuses unsigned IAM calls', async () => {
    const res = await fetch(emu.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListPolicies&Version=2010-05-08',
    });
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toMatch(/<Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/);
    expect(body).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
  });
});
