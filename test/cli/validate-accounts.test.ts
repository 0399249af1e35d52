/** `jit validate` on a request naming several accounts (decision 027): each account listed, each mistake on its line. */
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

const AT = '2026-11-25T09:00:00Z';
const request = (accounts: string) =>
  `requester: octocat\n${accounts}\nprofile: readonly\nduration: 1h\nreason: Compare the fleets after INC-7.\n`;

async function validate(text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'jit-accounts-'));
  await copyFile(
    join(process.cwd(), 'test/fixtures/config/identity-center.yaml'),
    join(dir, 'jit.config.yaml'),
  );
  await mkdir(join(dir, 'requests'));
  await writeFile(join(dir, 'requests', 'octocat-fleets.yaml'), text);
  let stdout = '';
  const io: CliIo = { stdout: (s) => (stdout += s), stderr: () => {}, env: {}, cwd: dir };
  const code = await main(['validate', '--at', AT, 'requests/octocat-fleets.yaml'], io);
  return { code, stdout };
}

test('an IAM and an Identity Center account in one request: each is listed with its backend', async () => {
  const r = await validate(request('accounts: [legacy, prod]'));
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('ok      requests/octocat-fleets.yaml\n');
  expect(r.stdout).toContain(
    '2 accounts, each granted on its own: legacy (iam), prod (identity-center)',
  );
});

test.each([
  ['accounts:\n  - legacy\n  - legacy', '4:5', 'account legacy is named twice'],
  ['account: legacy\naccounts: [tools]', '3:11', 'give either account or accounts, not both'],
  ['accounts:\n  - legacy\n  - nope', '4:5', 'unknown account "nope"'],
])('%j is refused on its line', async (accounts, at, message) => {
  const r = await validate(request(accounts));
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(`requests/octocat-fleets.yaml:${at}: error:`);
  expect(r.stdout).toContain(message);
});
