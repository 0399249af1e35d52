import { randomBytes } from 'node:crypto';

/**
 * Access tokens as GitHub Apps and `GITHUB_TOKEN` have them: a set of named permissions at
 * `read` or `write`, optionally limited to some repositories. Tests give each token exactly the
 * permissions a workflow would declare, so a missing `permissions:` entry fails here as it would
 * on GitHub.
 */

export type Permission =
  'metadata' | 'contents' | 'pull_requests' | 'issues' | 'members' | 'administration' | 'actions';

export type Access = 'read' | 'write';

export interface TokenInit {
  /** Login the token acts as: the author of comments it creates. */
  login?: string;
  /** Defaults to everything at write, as a classic admin token would. */
  permissions?: Partial<Record<Permission, Access>>;
  /** `owner/name`s the token can see; others answer 404 as on GitHub. All when omitted. */
  repositories?: string[];
  /** Requests per hour before GitHub's primary rate limit answers 403. */
  rateLimit?: number;
  /**
   * The GitHub App the token belongs to: what a ruleset's `Integration` bypass actor names.
   * `GITHUB_TOKEN` belongs to the GitHub Actions app; a person's token to none.
   */
  appId?: number | null;
}

/** The GitHub Actions app: every `GITHUB_TOKEN` is an installation token of it. */
export const GITHUB_ACTIONS_APP_ID = 15368;

export interface TokenGrant {
  login: string;
  permissions: Partial<Record<Permission, Access>>;
  repositories?: Set<string>;
  rateLimit: number;
  used: number;
  appId: number | null;
}

const ALL: Permission[] = [
  'metadata',
  'contents',
  'pull_requests',
  'issues',
  'members',
  'administration',
  'actions',
];

export class TokenStore {
  private readonly tokens = new Map<string, TokenGrant>();

  /** Registers a token and returns its value (random unless given). */
  create(init: TokenInit = {}, value?: string): string {
    value ??= `ghs_${randomBytes(18).toString('hex')}`;
    const permissions = init.permissions ?? Object.fromEntries(ALL.map((p) => [p, 'write']));
    const login = init.login ?? 'github-actions[bot]';
    this.tokens.set(value, {
      login,
      appId:
        init.appId !== undefined
          ? init.appId
          : login === 'github-actions[bot]'
            ? GITHUB_ACTIONS_APP_ID
            : null,
      // Every GitHub App token can read metadata; it cannot be withheld.
      permissions: { metadata: 'read', ...permissions },
      repositories: init.repositories && new Set(init.repositories.map((r) => r.toLowerCase())),
      rateLimit: init.rateLimit ?? 5000,
      used: 0,
    });
    return value;
  }

  revoke(value: string): void {
    this.tokens.delete(value);
  }

  /** The grant behind an `Authorization` header value, if the header names a known token. */
  lookup(header: string | undefined): TokenGrant | undefined {
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '');
    return match?.[1] ? this.tokens.get(match[1]) : undefined;
  }
}

export function allows(grant: TokenGrant, permission: Permission, access: Access): boolean {
  const held = grant.permissions[permission];
  return held === 'write' || held === access;
}

export function canSeeRepo(grant: TokenGrant, fullName: string): boolean {
  return !grant.repositories || grant.repositories.has(fullName.toLowerCase());
}
