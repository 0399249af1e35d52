import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { startAwsEmulator, type AwsEmulator } from './server.js';

/**
 * `node lib/emulators/aws/main.js [--port N] [--account ID]`: IAM, STS and CloudTrail for manual
 * runs and the demo. Prints one JSON line: the endpoint and the seeded admin's credentials.
 */
export async function run(argv: string[], out: (line: string) => void): Promise<AwsEmulator> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      account: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid --port ${values.port}`);
  if (values.account !== undefined && !/^\d{12}$/.test(values.account))
    throw new Error(`invalid --account ${values.account}: 12 digits`);
  const emu = await startAwsEmulator({ port, accountId: values.account });
  out(
    JSON.stringify({
      url: emu.url,
      region: 'us-east-1',
      accountId: emu.state.defaultAccountId,
      credentials: {
        accessKeyId: emu.admin.accessKeyId,
        secretAccessKey: emu.admin.secretAccessKey,
      },
    }),
  );
  return emu;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const emu = await run(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void emu.close());
}
