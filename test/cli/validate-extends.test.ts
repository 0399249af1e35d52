/** `jit validate` on an extension (decision 025): the request it names must be in the checkout, and be the same person's. */
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

const AT = '2026-11-25T09:00:00Z';
const request = (requester: string, extra = '') =>
  `requester: ${requester}\naccount: prod\nprofile: s3-logs-read\nduration: 2h\nreason: Investigate the failed nightly export\n${extra}`;

async function validate(files: Record<string, string>, check: string) {
  const dir = await mkdtemp(join(tmpdir(), 'jit-extends-'));
  await copyFile(join(process.cwd(), 'jit.config.yaml'), join(dir, 'jit.config.yaml'));
  await mkdir(join(dir, 'requests'));
  for (const [name, content] of Object.entries(files))
    await writeFile(join(dir, 'requests', name), content);
  let stdout = '';
  const io: CliIo = { stdout: (s) => (stdout += s), stderr: () => {}, env: {}, cwd: dir };
  const code = await main(['validate', '--at', AT, `requests/${check}`], io);
  return { code, stdout };
}

test('an extension of your own merged request is valid', async () => {
  const r = await validate(
    {
      'octocat-logs.yaml': request('octocat'),
      'octocat-more.yaml': request('octocat', 'extends: octocat-logs\n'),
    },
    'octocat-more.yaml',
  );
  expect(r.stdout).toContain('ok      requests/octocat-more.yaml');
  expect(r.code).toBe(0);
});

test.each([
  [{}, 'is not on this checkout'],
  [{ 'octocat-logs.yaml': request('alice') }, "is alice's request, not octocat's"],
])('an extension of a missing or foreign request is refused at its line', async (more, message) => {
  const r = await validate(
    { ...more, 'octocat-more.yaml': request('octocat', 'extends: octocat-logs\n') },
    'octocat-more.yaml',
  );
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('requests/octocat-more.yaml:6:10: error:');
  expect(r.stdout).toContain(message);
});
