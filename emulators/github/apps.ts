import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { decodeJwt, jwtVerify } from 'jose';
import type { Access, Permissions, TokenStore } from './auth.js';
import { HttpError, notFound } from './http/errors.js';
import type { GitHubState, Repo } from './state.js';

/**
 * GitHub Apps as GitHub runs them: an App has an id, a client id, a slug and an RSA key pair; an
 * installation on an account grants it some permissions on some repositories; the App proves who
 * it is with a short-lived RS256 JWT and trades it for an hour-long installation token, which
 * may be narrowed (fewer permissions, fewer repositories) but never widened.
 */

export interface App {
  id: number;
  clientId: string;
  slug: string;
  /** PEM, PKCS#1 as GitHub hands it out ("BEGIN RSA PRIVATE KEY"). */
  privateKey: string;
  publicKey: KeyObject;
}

export interface Installation {
  id: number;
  app: App;
  /** The organisation (or user) it is installed on. */
  account: string;
  /** `selected`: only `repositories`; `all`: every repository of the account, now and later. */
  selection: 'all' | 'selected';
  repositories: string[];
  permissions: Permissions;
  createdAt: Date;
}

export interface MintRequest {
  permissions?: Record<string, string>;
  /** Repository names (without owner) within the installation. */
  repositories?: string[];
  repository_ids?: number[];
}

export interface Minted {
  token: string;
  expiresAt: Date;
  permissions: Permissions;
  selection: 'all' | 'selected';
  repositories?: Repo[];
}

/** https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app */
const JWT_MAX_LIFETIME_S = 600;
/** Installation tokens expire after one hour. */
const TOKEN_LIFETIME_MS = 3_600_000;

const RANK: Record<Access, number> = { read: 1, write: 2 };

export class GitHubApps {
  private readonly apps: App[] = [];
  private readonly installations: Installation[] = [];

  constructor(
    private readonly state: GitHubState,
    private readonly tokens: TokenStore,
    private readonly clock: () => Date,
  ) {}

  /** Registers an App with a fresh 2048-bit key pair, as "Generate a private key" does. */
  register(slug: string): App {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const id = this.state.nextId();
    const app: App = {
      id,
      clientId: `Iv23li${id.toString(16).padStart(14, '0')}`,
      slug,
      privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      publicKey,
    };
    this.apps.push(app);
    this.state.user(`${slug}[bot]`);
    return app;
  }

  /** Installs `app` on an account: on `repositories` (full names) only, or on all of them. */
  install(
    app: App,
    init: { account: string; repositories?: string[]; permissions: Permissions },
  ): Installation {
    const installation: Installation = {
      id: this.state.nextId(),
      app,
      account: init.account,
      selection: init.repositories ? 'selected' : 'all',
      repositories: (init.repositories ?? []).map((r) => this.state.repo(r)).map(fullName),
      permissions: { metadata: 'read', ...init.permissions },
      createdAt: this.clock(),
    };
    this.installations.push(installation);
    return installation;
  }

  installation(id: number): Installation {
    const found = this.installations.find((i) => i.id === id);
    if (!found) throw notFound();
    return found;
  }

  /** The installation of `app` that covers a repository, if any. */
  installationFor(app: App, repoFullName: string): Installation | undefined {
    const repo = this.state.repo(repoFullName);
    return this.installations.find(
      (i) =>
        i.app === app &&
        i.account.toLowerCase() === repo.owner.toLowerCase() &&
        (i.selection === 'all' ||
          i.repositories.some((r) => r.toLowerCase() === fullName(repo).toLowerCase())),
    );
  }

  /**
   * The App a `Bearer` JWT proves to be, checked as GitHub does: RS256 signature by the key of
   * the App named in `iss` (its id or client id), `iat` not in the future, `exp` in the future
   * and at most ten minutes away.
   */
  async authenticate(header: string | undefined): Promise<App> {
    const jwt = /^bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!jwt) throw new HttpError(401, 'A JSON web token could not be decoded');
    let claims;
    try {
      claims = decodeJwt(jwt);
    } catch {
      throw new HttpError(401, 'A JSON web token could not be decoded');
    }
    // Libraries send the App id as a JSON number, the client id as a string; both name the App.
    const iss = claims.iss === undefined ? undefined : String(claims.iss as unknown);
    const app = this.apps.find((a) => String(a.id) === iss || a.clientId === iss);
    if (!app) throw new HttpError(401, 'A JSON web token could not be decoded');
    const now = Math.floor(this.clock().getTime() / 1000);
    try {
      await jwtVerify(jwt, app.publicKey, { algorithms: ['RS256'], currentDate: this.clock() });
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_JWT_EXPIRED')
        throw new HttpError(401, 'A JSON web token could not be decoded');
    }
    if (typeof claims.iat !== 'number' || claims.iat > now)
      throw new HttpError(
        401,
        "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
      );
    if (typeof claims.exp !== 'number' || claims.exp <= now)
      throw new HttpError(
        401,
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      );
    if (claims.exp > now + JWT_MAX_LIFETIME_S)
      throw new HttpError(401, "'Expiration time' claim ('exp') is too far in the future");
    return app;
  }

  /**
   * An installation token, as `POST /app/installations/{id}/access_tokens` makes it. Asking for
   * a permission or repository the installation does not have is a 422, not a quiet narrowing
   * (https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app).
   */
  mint(installation: Installation, request: MintRequest = {}): Minted {
    const permissions = request.permissions
      ? this.narrowPermissions(installation, request.permissions)
      : installation.permissions;
    const asked = [
      ...(request.repositories ?? []).map((name) =>
        this.state.repos.get(`${installation.account}/${name}`.toLowerCase()),
      ),
      ...(request.repository_ids ?? []).map((id) =>
        [...this.state.repos.values()].find((r) => r.id === id),
      ),
    ];
    const covered = this.coveredRepos(installation);
    if (asked.some((r) => !r || !covered.includes(r)))
      throw new HttpError(
        422,
        'There is at least one repository that does not exist or is not accessible to the parent installation.',
      );
    const repos = asked.length > 0 ? (asked as Repo[]) : covered;
    const expiresAt = new Date(this.clock().getTime() + TOKEN_LIFETIME_MS);
    const token = this.tokens.create({
      kind: 'installation',
      app: installation.app.slug,
      appId: installation.app.id,
      installationId: installation.id,
      account: installation.account,
      permissions,
      repositories: repos.map(fullName),
      expiresAt,
    });
    return {
      token,
      expiresAt,
      permissions: { metadata: 'read', ...permissions },
      selection: asked.length > 0 ? 'selected' : installation.selection,
      repositories: asked.length > 0 || installation.selection === 'selected' ? repos : undefined,
    };
  }

  private narrowPermissions(
    installation: Installation,
    asked: Record<string, string>,
  ): Permissions {
    const narrowed: Permissions = {};
    for (const [name, access] of Object.entries(asked)) {
      const held = installation.permissions[name as keyof Permissions];
      if (
        (access !== 'read' && access !== 'write') ||
        held === undefined ||
        RANK[access] > RANK[held]
      )
        throw new HttpError(422, 'The permissions requested are not granted to this installation.');
      narrowed[name as keyof Permissions] = access;
    }
    return narrowed;
  }

  private coveredRepos(installation: Installation): Repo[] {
    const owned = [...this.state.repos.values()].filter(
      (r) => r.owner.toLowerCase() === installation.account.toLowerCase(),
    );
    if (installation.selection === 'all') return owned;
    const names = installation.repositories.map((r) => r.toLowerCase());
    return owned.filter((r) => names.includes(fullName(r).toLowerCase()));
  }
}

const fullName = (repo: Repo): string => `${repo.owner}/${repo.name}`;
