/**
 * Token kinds, GitHub App installation tokens and injected faults, through real Octokit clients
 * (and @octokit/auth-app, which actions/create-github-app-token uses) over HTTP.
 */
import { createAppAuth } from '@octokit/auth-app';
import { request } from '@octokit/request';
import { Octokit } from '@octokit/rest';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { GITHUB_TOKEN_PERMISSIONS, type Permissions } from '../../../emulators/github/auth.js';
import type { App } from '../../../emulators/github/apps.js';
import { requiredPermissions } from '../../../emulators/github/http/permissions.js';
import type { GitHubEmulator } from '../../../emulators/github/server.js';
import { REPO, octokit, quiet, repo, statusOf, world } from './world.js';

/** What the grant and revoke workflows ask create-github-app-token for. */
const GRANT_PERMISSIONS: Permissions = {
  contents: 'write',
  pull_requests: 'write',
  issues: 'write',
  members: 'read',
};

let now: Date;
let emu: GitHubEmulator;
let app: App;
beforeEach(async () => {
  now = new Date();
  emu = await world(() => now);
  emu.state.addRepo('acme/other');
  emu.state.addRepo('globex/access');
  emu.state.addTeamMember('globex/platform', 'bob');
  app = emu.apps.register('jit-access');
  emu.apps.install(app, { account: 'acme', repositories: [REPO], permissions: GRANT_PERMISSIONS });
});
afterEach(() => emu.close());

const membership = (o: Octokit, org = 'acme') =>
  o.rest.teams.getMembershipForUserInOrg({ org, team_slug: 'platform', username: 'bob' });

/** An Octokit authenticated as the App's installation on acme/access, as auth-app does it. */
async function installationOctokit(permissions?: Record<string, string>): Promise<Octokit> {
  const auth = createAppAuth({
    appId: app.id,
    privateKey: app.privateKey,
    request: request.defaults({ baseUrl: emu.url }),
  });
  const { data } = await new Octokit({
    baseUrl: emu.url,
    authStrategy: createAppAuth,
    auth: { appId: app.id, privateKey: app.privateKey },
    log: quiet,
  }).rest.apps.getRepoInstallation(repo);
  const { token } = await auth({
    type: 'installation',
    installationId: data.id,
    repositoryNames: [repo.repo],
    ...(permissions && { permissions }),
  });
  return new Octokit({ baseUrl: emu.url, auth: token, log: quiet });
}

/** A JWT for the App with chosen claims, signed by `key` (the App's own unless given). */
async function jwt(
  claims: { iat: number; exp: number; iss?: string },
  key: string = app.privateKey,
): Promise<string> {
  const { createPrivateKey } = await import('node:crypto');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .setIssuer(claims.iss ?? String(app.id))
    .sign(createPrivateKey(key));
}

describe('GITHUB_TOKEN', () => {
  it('cannot be created with a permission a workflow cannot grant it', () => {
    expect(() => emu.tokens.create({ permissions: { members: 'read' } })).toThrow(
      /GITHUB_TOKEN cannot hold "members"/,
    );
    expect(() => emu.tokens.create({ permissions: { administration: 'read' } })).toThrow(
      /GITHUB_TOKEN cannot hold "administration"/,
    );
  });

  it('cannot read team membership even with every scope at write, as on GitHub', async () => {
    const everything = Object.fromEntries(GITHUB_TOKEN_PERMISSIONS.map((p) => [p, 'write']));
    const gh = octokit(emu, { kind: 'github-token', permissions: everything });
    await expect(membership(gh)).rejects.toMatchObject({
      status: 403,
      response: { data: { message: 'Resource not accessible by integration' } },
    });
  });
});

describe('an App installation token', () => {
  it('reads team membership with members:read and acts as <slug>[bot]', async () => {
    const gh = await installationOctokit();
    expect((await membership(gh)).data).toMatchObject({ state: 'active' });
    const { data } = await gh.rest.issues.createComment({ ...repo, issue_number: 1, body: 'ok' });
    expect(data.user).toMatchObject({ login: 'jit-access[bot]', type: 'Bot' });
  });

  it('reaches only the repositories and the organisation of its installation', async () => {
    const gh = await installationOctokit();
    expect(await statusOf(gh.rest.repos.get({ owner: 'acme', repo: 'other' }))).toBe(404);
    expect(await statusOf(membership(gh, 'globex'))).toBe(404);
  });

  it('has metadata read without asking, and nothing it did not ask for when narrowed', async () => {
    const gh = await installationOctokit({ issues: 'write' });
    expect(await statusOf(gh.rest.repos.get(repo))).toBe('ok');
    expect(await statusOf(membership(gh))).toBe(403);
  });

  it('refuses (422) a token wider than the installation, as GitHub does', async () => {
    await expect(installationOctokit({ administration: 'read' })).rejects.toMatchObject({
      status: 422,
    });
    await expect(installationOctokit({ members: 'write' })).rejects.toMatchObject({
      status: 422,
    });
    const installation = emu.apps.installationFor(app, REPO)!;
    expect(() => emu.apps.mint(installation, { repositories: ['other'] })).toThrow(
      /not accessible to the parent installation/,
    );
  });

  it('expires after an hour', async () => {
    const gh = await installationOctokit();
    now = new Date(now.getTime() + 3_600_000);
    expect(await statusOf(gh.rest.repos.get(repo))).toBe(401);
  });

  it('is revoked by DELETE /installation/token, as the action does when the job ends', async () => {
    const gh = await installationOctokit();
    expect((await gh.rest.apps.revokeInstallationAccessToken()).status).toBe(204);
    expect(await statusOf(gh.rest.repos.get(repo))).toBe(401);
  });
});

describe('the App JWT', () => {
  const seconds = () => Math.floor(now.getTime() / 1000);
  const installation = (token: string) =>
    statusOf(
      new Octokit({ baseUrl: emu.url, auth: token, log: quiet }).rest.apps.getRepoInstallation(
        repo,
      ),
    );

  it('accepts the App id or its client id as issuer', async () => {
    expect(await installation(await jwt({ iat: seconds() - 60, exp: seconds() + 540 }))).toBe('ok');
    const byClientId = await jwt({ iat: seconds() - 60, exp: seconds() + 540, iss: app.clientId });
    expect(await installation(byClientId)).toBe('ok');
  });

  it('is refused past the ten-minute rule, expired, from the future, or signed by another key', async () => {
    const t = seconds();
    expect(await installation(await jwt({ iat: t, exp: t + 601 }))).toBe(401);
    expect(await installation(await jwt({ iat: t - 700, exp: t - 1 }))).toBe(401);
    expect(await installation(await jwt({ iat: t + 120, exp: t + 300 }))).toBe(401);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    expect(await installation(await jwt({ iat: t - 60, exp: t + 540 }, other))).toBe(401);
  });

  it('does not stand in for an installation token, nor a token for the JWT', async () => {
    const token = await jwt({ iat: seconds() - 60, exp: seconds() + 540 });
    expect(await statusOf(octokitWith(token).rest.repos.get(repo))).toBe(401);
    expect(await installation(emu.tokens.create())).toBe(401);
  });

  it('answers 404 for a repository the App is not installed on', async () => {
    const token = await jwt({ iat: seconds() - 60, exp: seconds() + 540 });
    expect(
      await statusOf(
        octokitWith(token).rest.apps.getRepoInstallation({ owner: 'acme', repo: 'other' }),
      ),
    ).toBe(404);
  });
});

const octokitWith = (auth: string) => new Octokit({ baseUrl: emu.url, auth, log: quiet });

describe('permissions come from GitHub data', () => {
  it('every token route checks a permission; hand-written ones only where the data has none', () => {
    for (const route of emu.routes.filter((r) => r.auth === 'token')) {
      const fromData = requiredPermissions(route.method, route.path);
      expect({ route: route.path, source: route.source }).toEqual({
        route: route.path,
        source: fromData ? 'github-data' : 'hand-written',
      });
    }
  });

  it('matches routes by shape, whatever their parameters are called', () => {
    expect(requiredPermissions('POST', '/repos/:o/:r/git/trees')).toEqual([['contents', 'write']]);
    expect(requiredPermissions('PUT', '/repos/:owner/:repo/contents/*path')).toContainEqual([
      'contents',
      'write',
    ]);
    expect(requiredPermissions('GET', '/repos/:owner/:repo/no-such-endpoint')).toBeUndefined();
  });
});

describe('faults', () => {
  it('answers the next requests with a 5xx, then recovers', async () => {
    const gh = octokit(emu, { kind: 'github-token' });
    emu.faults.next(1, { kind: 'server-error', status: 502 });
    expect(await statusOf(gh.rest.repos.get(repo))).toBe(502);
    expect(await statusOf(gh.rest.repos.get(repo))).toBe('ok');
  });

  it('answers a secondary rate limit with retry-after and the documented message', async () => {
    emu.faults.next(1, { kind: 'secondary-rate-limit', retryAfterSeconds: 7 }, { after: 1 });
    const auth = `token ${emu.tokens.create()}`;
    expect(
      (await fetch(`${emu.url}/repos/${REPO}`, { headers: { authorization: auth } })).status,
    ).toBe(200);
    const res = await fetch(`${emu.url}/repos/${REPO}`, { headers: { authorization: auth } });
    expect(res.status).toBe(403);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(((await res.json()) as { message: string }).message).toMatch(
      /^You have exceeded a secondary rate limit\./,
    );
  });
});
