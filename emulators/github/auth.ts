import { randomBytes } from 'node:crypto';

/**
 * REST access tokens of the three kinds jit-access meets, each as narrow as on GitHub:
 *
 * - `github-token`: a workflow's `GITHUB_TOKEN`, acting as `github-actions[bot]`. Its permissions
 *   come only from the scopes a workflow's `permissions:` key can name
 *   (https://docs.github.com/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token);
 *   there is no `members` or `administration` scope, so it can never read team membership or
 *   repository settings. Asking for one throws: a test cannot build a token GitHub never issues.
 * - `installation`: a GitHub App installation token, acting as `<app-slug>[bot]`, holding any App
 *   permission the installation was granted and limited to its repositories
 *   (https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app).
 * - `user`: a fine-grained personal access token, acting as its owner.
 *
 * Every kind can read metadata: GitHub makes it implicit and it cannot be withheld.
 */

/**
 * Scopes of `GITHUB_TOKEN` that are REST permissions, spelled as the API spells them
 * (`pull-requests` in a workflow is `pull_requests` here). `id-token` is not a REST permission:
 * it lets a job ask the OIDC issuer for a token (see oidc/).
 */
export const GITHUB_TOKEN_PERMISSIONS = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'issues',
  'models',
  'packages',
  'pages',
  'pull_requests',
  'repository_projects',
  'security_events',
  'statuses',
] as const;

/**
 * Permissions a GitHub App (or a fine-grained token) can hold beyond those: repository
 * (`administration`, `environments`, ...) and organisation (`members`, ...) permissions, as
 * https://docs.github.com/rest/authentication/permissions-required-for-github-apps names them.
 */
export const APP_ONLY_PERMISSIONS = [
  'metadata',
  'administration',
  'environments',
  'secrets',
  'single_file',
  'vulnerability_alerts',
  'workflows',
  'members',
  'organization_administration',
  'organization_projects',
  'organization_user_blocking',
  'team_discussions',
] as const;

export type Permission =
  (typeof GITHUB_TOKEN_PERMISSIONS)[number] | (typeof APP_ONLY_PERMISSIONS)[number];

export type Access = 'read' | 'write';

export type Permissions = Partial<Record<Permission, Access>>;

const ALL_PERMISSIONS: readonly Permission[] = [
  ...GITHUB_TOKEN_PERMISSIONS,
  ...APP_ONLY_PERMISSIONS,
];

export type TokenKind = 'github-token' | 'installation' | 'user';

interface TokenCommon {
  /** `owner/name`s the token can see; others answer 404 as on GitHub. All when omitted. */
  repositories?: string[];
  /**
   * The primary rate limit this token sees instead of GitHub's figure (requests an hour), for
   * tests; the budget it draws on is still shared as on GitHub (http/rate-limits.ts).
   */
  rateLimit?: number;
}

export type TokenInit =
  | (TokenCommon & {
      kind?: 'github-token';
      /** The job's `permissions:`; every scope at write (the permissive default) when omitted. */
      permissions?: Permissions;
    })
  | (TokenCommon & {
      kind: 'installation';
      /** The App's slug: the token acts as `<slug>[bot]`. */
      app: string;
      /** The App's id: what a ruleset's `Integration` bypass actor names. */
      appId?: number;
      installationId?: number;
      /** The organisation it is installed on: its organisation permissions reach no other. */
      account?: string;
      permissions: Permissions;
      /** Installation tokens live an hour. */
      expiresAt?: Date;
    })
  | (TokenCommon & {
      kind: 'user';
      login: string;
      /** Every permission at write when omitted. */
      permissions?: Permissions;
    });

/** The GitHub Actions app: every `GITHUB_TOKEN` is an installation token of it. */
export const GITHUB_ACTIONS_APP_ID = 15368;

export interface TokenGrant {
  kind: TokenKind;
  login: string;
  /** The App the token acts for (rulesets' `Integration` bypass actors name it); null for a person. */
  appId: number | null;
  permissions: Permissions;
  repositories?: Set<string>;
  installationId?: number;
  account?: string;
  expiresAt?: Date;
  /** The primary rate limit set by the test that made the token, if any. */
  rateLimit?: number;
  /** REST requests made with this token, counted or refused: what a run cost. */
  requests: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, TokenGrant>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Registers a token and returns its value (random unless given). */
  create(init: TokenInit = {}, value?: string): string {
    const kind = init.kind ?? 'github-token';
    const permissions = init.permissions ?? everything(kind);
    for (const name of Object.keys(permissions)) {
      if (!ALL_PERMISSIONS.includes(name as Permission))
        throw new Error(`unknown GitHub permission "${name}"`);
      if (kind === 'github-token' && !isGithubTokenPermission(name))
        throw new Error(
          `GITHUB_TOKEN cannot hold "${name}": only ${GITHUB_TOKEN_PERMISSIONS.join(', ')} (and id-token)`,
        );
    }
    value ??= `${kind === 'user' ? 'github_pat' : 'ghs'}_${randomBytes(18).toString('hex')}`;
    this.tokens.set(value, {
      kind,
      login:
        init.kind === 'installation'
          ? `${init.app}[bot]`
          : init.kind === 'user'
            ? init.login
            : 'github-actions[bot]',
      appId:
        init.kind === 'installation'
          ? (init.appId ?? null)
          : init.kind === 'user'
            ? null
            : GITHUB_ACTIONS_APP_ID,
      permissions: { metadata: 'read', ...permissions },
      repositories: init.repositories && new Set(init.repositories.map((r) => r.toLowerCase())),
      installationId: init.kind === 'installation' ? init.installationId : undefined,
      account: init.kind === 'installation' ? init.account : undefined,
      expiresAt: init.kind === 'installation' ? init.expiresAt : undefined,
      ...(init.rateLimit === undefined ? {} : { rateLimit: init.rateLimit }),
      requests: 0,
    });
    return value;
  }

  revoke(value: string): void {
    this.tokens.delete(value);
  }

  /** The grant behind an `Authorization` header value, if it names a live token. */
  lookup(header: string | undefined): TokenGrant | undefined {
    const value = tokenOf(header);
    const grant = value === undefined ? undefined : this.tokens.get(value);
    if (grant?.expiresAt && grant.expiresAt <= this.clock()) return undefined;
    return grant;
  }
}

/** The credential in an `Authorization: token X` or `Bearer X` header. */
export function tokenOf(header: string | undefined): string | undefined {
  return /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '')?.[1];
}

export const isGithubTokenPermission = (name: string): boolean =>
  (GITHUB_TOKEN_PERMISSIONS as readonly string[]).includes(name);

function everything(kind: TokenKind): Permissions {
  const names = kind === 'github-token' ? GITHUB_TOKEN_PERMISSIONS : ALL_PERMISSIONS;
  return Object.fromEntries(names.map((p) => [p, 'write']));
}

export function allows(grant: TokenGrant, permission: Permission, access: Access): boolean {
  const held = grant.permissions[permission];
  return held === 'write' || held === access;
}

/**
 * Whether the token may address a repository. A `GITHUB_TOKEN` belongs to the one repository its
 * workflow runs in; one created without `repositories` is bound to the first repository it
 * addresses, so it can never reach a second one, as on GitHub.
 */
export function canSeeRepo(grant: TokenGrant, fullName: string): boolean {
  if (!grant.repositories && grant.kind === 'github-token')
    grant.repositories = new Set([fullName.toLowerCase()]);
  return !grant.repositories || grant.repositories.has(fullName.toLowerCase());
}
