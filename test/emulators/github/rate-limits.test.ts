/**
 * Primary rate limits as GitHub documents them
 * (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api): the figure for
 * each kind of token, the budget its tokens share, the headers, the refusal and its reset.
 */
import type { GitHubEmulator } from '../../../emulators/github/server.js';
import { REPO, T0, world } from './world.js';

let emu: GitHubEmulator;
let now = T0;
beforeEach(async () => {
  now = T0;
  emu = await world(() => now);
  emu.state.addRepo('acme/other');
});
afterEach(() => emu.close());

const get = (token: string, path = `/repos/${REPO}`) =>
  fetch(`${emu.url}${path}`, { headers: { authorization: `token ${token}` } });

const limits = (res: Response) => ({
  limit: res.headers.get('x-ratelimit-limit'),
  remaining: res.headers.get('x-ratelimit-remaining'),
  used: res.headers.get('x-ratelimit-used'),
});

const githubToken = (repository = REPO) =>
  emu.tokens.create({
    kind: 'github-token',
    permissions: { contents: 'read' },
    repositories: [repository],
  });

it('a GITHUB_TOKEN has 1,000 requests an hour per repository, shared by every run’s token', async () => {
  const first = githubToken();
  expect(limits(await get(first))).toEqual({ limit: '1000', remaining: '999', used: '1' });
  // Another run's token in the same repository draws on the same budget.
  expect(limits(await get(githubToken()))).toEqual({ limit: '1000', remaining: '998', used: '2' });
  // A workflow token bound on its first request counts against that repository too.
  const unbound = emu.tokens.create({ kind: 'github-token', permissions: { contents: 'read' } });
  expect(limits(await get(unbound))).toMatchObject({ used: '3' });
  // Another repository's budget is its own.
  expect(limits(await get(githubToken('acme/other'), '/repos/acme/other'))).toMatchObject({
    used: '1',
  });
});

it('an installation’s tokens share its 5,000, and a person’s tokens theirs', async () => {
  const installation = emu.apps.install(emu.apps.register('jit-access'), {
    account: 'acme',
    repositories: [REPO],
    permissions: { contents: 'read' },
  });
  const mint = () => emu.apps.mint(installation).token;
  expect(limits(await get(mint()))).toEqual({ limit: '5000', remaining: '4999', used: '1' });
  expect(limits(await get(mint()))).toEqual({ limit: '5000', remaining: '4998', used: '2' });

  const person = () => emu.tokens.create({ kind: 'user', login: 'octo-admin' });
  expect(limits(await get(person()))).toEqual({ limit: '5000', remaining: '4999', used: '1' });
  expect(limits(await get(person()))).toMatchObject({ used: '2' });
});

it('a spent budget answers 403 with remaining 0 and no retry-after, until x-ratelimit-reset', async () => {
  emu.rateLimits.settings.limits['github-token'] = 2;
  const first = await get(githubToken());
  const reset = Number(first.headers.get('x-ratelimit-reset'));
  expect(reset).toBe(T0.getTime() / 1000 + 3600);
  expect((await get(githubToken())).status).toBe(200);

  const refused = await get(githubToken());
  expect(refused.status).toBe(403);
  expect(limits(refused)).toEqual({ limit: '2', remaining: '0', used: '2' });
  expect(refused.headers.get('retry-after')).toBeNull();
  expect(((await refused.json()) as { message: string }).message).toMatch(
    /^API rate limit exceeded for /,
  );

  // Not a second before the reset, on the emulator's clock; from then on, a new window.
  now = new Date(reset * 1000 - 1000);
  expect((await get(githubToken())).status).toBe(403);
  now = new Date(reset * 1000);
  const renewed = await get(githubToken());
  expect(renewed.status).toBe(200);
  expect(limits(renewed)).toEqual({ limit: '2', remaining: '1', used: '1' });
  expect(Number(renewed.headers.get('x-ratelimit-reset'))).toBe(reset + 3600);
});

it('answers 429 instead when told to: GitHub documents both', async () => {
  emu.rateLimits.settings.limits.user = 1;
  emu.rateLimits.settings.status = 429;
  const token = emu.tokens.create({ kind: 'user', login: 'octo-admin' });
  expect((await get(token)).status).toBe(200);
  const refused = await get(token);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
});
