import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { run } from '../../../emulators/aws/main.js';

describe('aws emulator CLI', () => {
  it('starts on loopback and prints the endpoint and admin credentials', async () => {
    const lines: string[] = [];
    const emu = await run(['--account', '210987654321'], (l) => lines.push(l));
    try {
      const info = JSON.parse(lines[0] ?? '{}') as {
        url: string;
        region: string;
        credentials: { accessKeyId: string; secretAccessKey: string };
      };
      expect(info).toEqual({
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        region: 'us-east-1',
        accountId: '210987654321',
        credentials: {
          accessKeyId: expect.stringMatching(/^AKIA/),
          secretAccessKey: expect.any(String),
        },
      });
      const sts = new STSClient({
        endpoint: info.url,
        region: info.region,
        credentials: info.credentials,
      });
      const me = await sts.send(new GetCallerIdentityCommand({}));
      expect(me.Arn).toBe('arn:aws:iam::210987654321:user/emulator-admin');
    } finally {
      await emu.close();
    }
  });

  it('rejects an invalid port or account', async () => {
    await expect(run(['--port', 'http'], () => {})).rejects.toThrow('invalid --port http');
    await expect(run(['--account', '42'], () => {})).rejects.toThrow('invalid --account 42');
  });
});
