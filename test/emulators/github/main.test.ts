import { Octokit } from '@octokit/rest';
import { run } from '../../../emulators/github/main.js';
import { quiet } from './world.js';

describe('github emulator CLI', () => {
  it('starts on loopback with the given repositories and token, and says where', async () => {
    const lines: string[] = [];
    const emu = await run(
      ['--repo', 'acme/access', '--repo', 'acme/other', '--token', 'ghs_demo'],
      (l) => lines.push(l),
    );
    try {
      const info = JSON.parse(lines[0] ?? '{}') as {
        url: string;
        token: string;
        oidc: { issuer: string; requestUrl: string };
      };
      expect(info).toEqual({
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        token: 'ghs_demo',
        oidc: {
          issuer: `${info.url}/oidc`,
          requestUrl: `${info.url}/_actions/idtoken?api-version=2.0`,
        },
      });
      const ok = new Octokit({ baseUrl: info.url, auth: 'ghs_demo', log: quiet });
      expect((await ok.rest.repos.get({ owner: 'acme', repo: 'other' })).data.default_branch).toBe(
        'main',
      );
    } finally {
      await emu.close();
    }
  });

  it('rejects an invalid port', async () => {
    await expect(run(['--port', 'http'], () => {})).rejects.toThrow('invalid --port http');
  });
});
