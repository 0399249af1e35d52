/** `jit audit`'s bad usage: each names the option and what it wants, exit 2, nothing read. */
import { main } from '../../src/cli/main.js';

async function audit(args: string[], env: Record<string, string> = { GITHUB_TOKEN: 't' }) {
  let stderr = '';
  const code = await main(['audit', ...args], {
    stdout: () => {},
    stderr: (t) => (stderr += t),
    env,
    cwd: '.',
  });
  return { code, stderr };
}

test.each([
  [['--repo', 'acme/access', '--format', 'xlsx'], '--format is md, json or csv, not "xlsx"'],
  [['--repo', 'acme/access', '--since', 'last month'], '--since wants 30d, 12h, 2026-11-01'],
  [['--repo', 'acme/access', '--until', '2026-13-45'], '--until wants 30d, 12h, 2026-11-01'],
  [
    ['--repo', 'acme/access', '--since', '2026-12-01', '--until', '2026-11-01'],
    '--since (2026-12-01T00:00:00.000Z) must be before --until (2026-11-01T00:00:00.000Z)',
  ],
  [['--repo', 'acme'], '--repo must be OWNER/NAME, not "acme"'],
  [[], 'name the repository with --repo OWNER/NAME'],
])('jit audit %j', async (args, message) => {
  const { code, stderr } = await audit(args);
  expect(code).toBe(2);
  expect(stderr).toContain(message);
});

test('a token is required', async () => {
  const { code, stderr } = await audit(['--repo', 'acme/access'], {});
  expect(code).toBe(2);
  expect(stderr).toContain('set GITHUB_TOKEN');
});
