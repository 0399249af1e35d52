/** `jit validate` and `jit plan` say which backend grants a request, and what it would create. */
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const AT = '2026-11-25T09:00:00Z';

async function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: {},
    cwd,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jit-ic-'));
  await copyFile('test/fixtures/config/identity-center.yaml', join(dir, 'jit.config.yaml'));
  const request = (account: string) =>
    `requester: octocat\naccount: ${account}\nprofile: readonly\nduration: 90m\nreason: Look at the instances\n`;
  await writeFile(join(dir, 'octocat-prod.yaml'), request('prod'));
  await writeFile(join(dir, 'octocat-legacy.yaml'), request('legacy'));
});

test('validate names the Identity Center backend', async () => {
  const r = await run(['validate', '--at', AT, 'octocat-prod.yaml', 'octocat-legacy.yaml'], dir);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^ok\s+octocat-prod\.yaml \(granted through identity-center\)$/m);
  expect(r.stdout).toMatch(/^ok\s+octocat-legacy\.yaml$/m);
  const json = await run(['validate', '--json', '--at', AT, 'octocat-prod.yaml'], dir);
  expect(JSON.parse(json.stdout).files[0]).toMatchObject({ backend: 'identity-center' });
});

test('plan shows the backend, the user and the permission set it would create', async () => {
  const text = await run(['plan', '--at', AT, '--pr', '42', 'octocat-prod.yaml'], dir);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/^backend:\s+identity-center$/m);
  expect(text.stdout).toMatch(/^user:\s+octocat@acme\.example \(Identity Center d-1234567890\)$/m);
  expect(text.stdout).toMatch(
    /^permission set jit-octocat-prod-[0-9a-f]{8} \(session up to PT2H\), inline policy/m,
  );
  expect(text.stdout).toContain('jit:managed=true');

  const json = JSON.parse(
    (await run(['plan', '--json', '--at', AT, '--pr', '42', 'octocat-prod.yaml'], dir)).stdout,
  );
  expect(json.backend).toBe('identity-center');
  expect(json.permissionSet).toMatchObject({
    accountId: '123456789012',
    userName: 'octocat@acme.example',
    sessionDuration: 'PT2H',
  });
  // The inline policy is the IAM backend's time-bound document, byte for byte.
  expect(JSON.parse(json.permissionSet.document)).toEqual(json.policy.document);

  const iam = JSON.parse(
    (await run(['plan', '--json', '--at', AT, 'octocat-legacy.yaml'], dir)).stdout,
  );
  expect(iam).toMatchObject({
    backend: 'iam',
    principal: 'arn:aws:iam::210987654321:user/people/octocat',
  });
  expect(iam.permissionSet).toBeUndefined();
});
