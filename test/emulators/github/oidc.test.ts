import { getIDToken } from '@actions/core';
import { jest } from '@jest/globals';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { GitHubEmulator } from '../../../emulators/github/server.js';
import { REPO, T0, world } from './world.js';

let emu: GitHubEmulator;
let now: Date;
const saved = { ...process.env };

beforeEach(async () => {
  now = T0;
  emu = await world(() => now);
  // @actions/core announces the token as a secret on stdout (`::add-mask::`); keep test output clean.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(async () => {
  jest.restoreAllMocks();
  process.env = { ...saved };
  await emu.close();
});

/** What a runner puts in the job's environment for a run in the given context. */
function runAs(ctx: Parameters<GitHubEmulator['oidc']['runEnv']>[0]): void {
  Object.assign(process.env, emu.oidc.runEnv(ctx));
}

async function discover(): Promise<{ issuer: string; jwks_uri: string } & Record<string, unknown>> {
  const res = await fetch(`${emu.url}/oidc/.well-known/openid-configuration`);
  return (await res.json()) as { issuer: string; jwks_uri: string };
}

describe('Actions OIDC', () => {
  it('publishes a standard discovery document and JWKS', async () => {
    const doc = await discover();
    expect(doc).toMatchObject({
      issuer: `${emu.url}/oidc`,
      jwks_uri: `${emu.url}/oidc/.well-known/jwks`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: expect.arrayContaining(['public']),
      claims_supported: expect.arrayContaining([
        'sub',
        'aud',
        'repository',
        'job_workflow_ref',
        'environment',
      ]),
    });
    const jwks = (await (await fetch(doc.jwks_uri)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([
      expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: emu.oidc.issuer.kid }),
    ]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('issues a token through @actions/core that verifies against the published keys', async () => {
    runAs({
      repository: REPO,
      eventName: 'pull_request_target',
      environment: 'jit-grant',
      workflow: 'grant',
      workflowPath: '.github/workflows/grant.yml',
      actor: 'bob',
      headRef: 'alice/logs',
      baseRef: 'main',
      runId: 7001,
    });
    const token = await getIDToken('sts.amazonaws.com');
    const doc = await discover();
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(doc.jwks_uri)),
      {
        issuer: doc.issuer,
        audience: 'sts.amazonaws.com',
        currentDate: now,
      },
    );
    const repo = emu.state.repo(REPO);
    const mainSha = repo.branches.get('main');
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: emu.oidc.issuer.kid });
    expect(payload).toMatchObject({
      iss: `${emu.url}/oidc`,
      sub: 'repo:acme/access:environment:jit-grant',
      aud: 'sts.amazonaws.com',
      repository: 'acme/access',
      repository_id: String(repo.id),
      repository_owner: 'acme',
      repository_owner_id: String(emu.state.user('acme').id),
      ref: 'refs/heads/main',
      ref_type: 'branch',
      sha: mainSha,
      environment: 'jit-grant',
      event_name: 'pull_request_target',
      workflow: 'grant',
      workflow_ref: 'acme/access/.github/workflows/grant.yml@refs/heads/main',
      job_workflow_ref: 'acme/access/.github/workflows/grant.yml@refs/heads/main',
      job_workflow_sha: mainSha,
      run_id: '7001',
      run_attempt: '1',
      actor: 'bob',
      actor_id: String(emu.state.user('bob').id),
      head_ref: 'alice/logs',
      base_ref: 'main',
      runner_environment: 'github-hosted',
      iat: T0.getTime() / 1000,
      exp: T0.getTime() / 1000 + 300,
    });
    expect(payload.nbf).toBeLessThanOrEqual(payload.iat ?? 0);
    expect(typeof payload.jti).toBe('string');
  });

  it('defaults the audience to the owner URL and derives the subject from event and ref', async () => {
    const cases = [
      [{ eventName: 'schedule' }, 'repo:acme/access:ref:refs/heads/main'],
      [{ eventName: 'pull_request', ref: 'refs/pull/1/merge' }, 'repo:acme/access:pull_request'],
      [{ eventName: 'push', ref: 'refs/tags/v1' }, 'repo:acme/access:ref:refs/tags/v1'],
    ] as const;
    for (const [ctx, sub] of cases) {
      runAs({ repository: REPO, ...ctx, sha: 'a'.repeat(40) });
      const claims = JSON.parse(
        Buffer.from((await getIDToken()).split('.')[1] ?? '', 'base64url').toString(),
      );
      expect(claims).toMatchObject({ sub, aud: 'https://github.com/acme' });
    }
  });

  it('puts owner and repository ids in the subject for repositories with immutable subjects', async () => {
    const repo = emu.state.addRepo('acme/fresh', { immutableOidcSubject: true });
    const token = await emu.oidc.mint({
      repository: 'acme/fresh',
      eventName: 'workflow_dispatch',
      environment: 'prod',
    });
    const { payload } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL((await discover()).jwks_uri)),
      { currentDate: T0 },
    );
    expect(payload.sub).toBe(
      `repo:acme@${emu.state.user('acme').id}/fresh@${repo.id}:environment:prod`,
    );
  });

  it('marks the ref protected only when protection or an active ruleset covers it', async () => {
    const refProtected = async (): Promise<unknown> => {
      const token = await emu.oidc.mint({ repository: REPO, eventName: 'schedule' });
      return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString())
        .ref_protected;
    };
    expect(await refProtected()).toBe('false');
    emu.state.addRuleset(REPO, { name: 'main', enforcement: 'evaluate' });
    expect(await refProtected()).toBe('false');
    emu.state.protectBranch(REPO, 'main');
    expect(await refProtected()).toBe('true');
  });

  it('refuses an unknown request token and a token with no run', async () => {
    const res = await fetch(emu.oidc.requestUrl, {
      headers: { authorization: 'Bearer not-a-run' },
    });
    expect(res.status).toBe(401);
    const bare = await fetch(emu.oidc.requestUrl);
    expect(bare.status).toBe(401);
  });

  it('issues tokens that expire after five minutes of emulator time', async () => {
    runAs({ repository: REPO, eventName: 'schedule' });
    const token = await getIDToken('sts.amazonaws.com');
    const jwks = createRemoteJWKSet(new URL((await discover()).jwks_uri));
    const opts = { audience: 'sts.amazonaws.com' };
    await expect(
      jwtVerify(token, jwks, { ...opts, currentDate: new Date(T0.getTime() + 299_000) }),
    ).resolves.toBeDefined();
    await expect(
      jwtVerify(token, jwks, { ...opts, currentDate: new Date(T0.getTime() + 301_000) }),
    ).rejects.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    });
  });

  it("signs with a key of its own: another emulator's tokens do not verify here", async () => {
    const other = await world();
    try {
      const foreign = await other.oidc.mint({ repository: REPO, eventName: 'schedule' });
      expect(decodeProtectedHeader(foreign).kid).not.toBe(emu.oidc.issuer.kid);
      const jwks = createRemoteJWKSet(new URL((await discover()).jwks_uri));
      await expect(jwtVerify(foreign, jwks, { currentDate: T0 })).rejects.toMatchObject({
        code: 'ERR_JWKS_NO_MATCHING_KEY',
      });
    } finally {
      await other.close();
    }
  });

  it('lets a test override claims to probe a verifier', async () => {
    const token = await emu.oidc.mint({
      repository: REPO,
      eventName: 'schedule',
      claims: { repository: 'evil/repo' },
    });
    const { payload } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL((await discover()).jwks_uri)),
      { currentDate: T0 },
    );
    expect(payload.repository).toBe('evil/repo');
  });
});
