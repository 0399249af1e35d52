import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { startGitHubEmulator, type GitHubEmulator } from './server.js';

/**
 * `node lib/emulators/github/main.js [--port N] [--repo owner/name] [--token VALUE]`: a GitHub
 * emulator for manual runs and the demo. Prints one JSON line saying where everything is.
 */
export async function run(argv: string[], out: (line: string) => void): Promise<GitHubEmulator> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      repo: { type: 'string', multiple: true, default: [] },
      token: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid --port ${values.port}`);
  const emu = await startGitHubEmulator({ port });
  for (const fullName of values.repo) emu.state.addRepo(fullName);
  const token = emu.tokens.create({}, values.token);
  out(
    JSON.stringify({
      url: emu.url,
      token,
      oidc: { issuer: emu.oidc.issuer.issuer, requestUrl: emu.oidc.requestUrl },
    }),
  );
  return emu;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const emu = await run(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void emu.close());
}
