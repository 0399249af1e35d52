import { createPrivateKey, sign } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import type { RepoRef } from '../github/pull-request.js';
import { hasStatus } from '../github/status.js';
import type { Finding } from './checks.js';

/**
 * The GitHub App that grant.yml and revoke.yml act through: it must hold exactly what they ask
 * create-github-app-token for. A missing permission makes every grant fail; a broader one is
 * power the jit-grant environment's key would carry for nothing.
 */

export type Access = 'read' | 'write';

/** What the workflows' `permission-*` inputs ask for (metadata: read comes with every App). */
export const APP_PERMISSIONS_NEEDED: Readonly<Record<string, Access>> = {
  metadata: 'read',
  contents: 'write',
  pull_requests: 'write',
  issues: 'write',
  members: 'read',
};

export interface AppCredentials {
  /** The App's id or client id. */
  appId: string;
  /** PEM private key. */
  privateKey: string;
}

export interface InstallationInfo {
  appSlug: string;
  repositorySelection: 'all' | 'selected';
  permissions: Record<string, string>;
}

export type InstallationRead =
  | { state: 'ok'; value: InstallationInfo }
  | { state: 'absent' }
  | { state: 'failed'; message: string };

/**
 * A JWT proving the App, as GitHub requires it: RS256, issued a minute in the past against clock
 * drift, expiring within ten minutes.
 */
export function appJwt(credentials: AppCredentials, now: Date = new Date()): string {
  const seconds = Math.floor(now.getTime() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({
    iat: seconds - 60,
    exp: seconds + 540,
    iss: credentials.appId,
  })}`;
  const signature = sign(
    'RSA-SHA256',
    Buffer.from(unsigned),
    createPrivateKey(credentials.privateKey),
  );
  return `${unsigned}.${signature.toString('base64url')}`;
}

/** `GET /repos/{owner}/{repo}/installation` with a client authenticated by `appJwt`. */
export async function readInstallation(
  appOctokit: Octokit,
  ref: RepoRef,
): Promise<InstallationRead> {
  try {
    const { data } = await appOctokit.rest.apps.getRepoInstallation({ ...ref });
    return {
      state: 'ok',
      value: {
        appSlug: data.app_slug,
        repositorySelection: data.repository_selection,
        permissions: Object.fromEntries(
          Object.entries(data.permissions as Record<string, unknown>).filter(
            (e): e is [string, string] => typeof e[1] === 'string',
          ),
        ),
      },
    };
  } catch (e) {
    if (hasStatus(e, 404)) return { state: 'absent' };
    return { state: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
}

const RANK: Record<string, number> = { read: 1, write: 2, admin: 3 };

/** Each permission the App lacks (error) or holds beyond need (warning). */
export function installationFindings(
  read: InstallationRead,
  repository: string,
  needed: Readonly<Record<string, Access>> = APP_PERMISSIONS_NEEDED,
): Finding[] {
  if (read.state === 'absent')
    return [
      {
        id: 'app-not-installed',
        severity: 'error',
        message: `the GitHub App is not installed on ${repository}: grant and revoke cannot get a token`,
        fix: `install the App on ${repository} (Only select repositories)`,
      },
    ];
  if (read.state === 'failed')
    return [
      {
        id: 'app-installation-unreadable',
        severity: 'error',
        message: `cannot read the App's installation on ${repository}: ${read.message}`,
        fix: 'check the App id and private key given to jit doctor (--app-id, --app-key)',
      },
    ];
  const { permissions, appSlug, repositorySelection } = read.value;
  const findings: Finding[] = [];
  for (const [name, access] of Object.entries(needed)) {
    const held = permissions[name];
    if (!held || (RANK[held] ?? 0) < RANK[access]!)
      findings.push({
        id: 'app-permission-missing',
        severity: 'error',
        message: `the ${appSlug} App has ${name}: ${held ?? 'none'}; grant and revoke need ${name}: ${access}`,
        fix: `App settings → Permissions: set ${name} to ${access}, then accept the new permissions on the installation`,
      });
  }
  for (const [name, held] of Object.entries(permissions)) {
    const access = needed[name];
    if (!access || (RANK[held] ?? 0) > RANK[access]!)
      findings.push({
        id: 'app-permission-broader',
        severity: 'warning',
        message: `the ${appSlug} App has ${name}: ${held}, more than grant and revoke need (${access ?? 'none'})`,
        fix: `App settings → Permissions: set ${name} to ${access ?? 'No access'}`,
      });
  }
  if (repositorySelection === 'all')
    findings.push({
      id: 'app-all-repositories',
      severity: 'warning',
      message: `the ${appSlug} App is installed on every repository of the organisation`,
      fix: `installation settings → Repository access: Only select repositories → ${repository}`,
    });
  return findings;
}
