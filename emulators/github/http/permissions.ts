import { createRequire } from 'node:module';
import type { Access, Permission } from '../auth.js';

/**
 * Which token permission each REST route needs, from GitHub's own machine-readable table
 * (`@octokit/app-permissions`, generated from
 * https://docs.github.com/rest/authentication/permissions-required-for-github-apps) instead of
 * lists written by hand: a route added to the emulator gets GitHub's requirement without anyone
 * having to remember it. A route can list several permissions; any one of them suffices, as
 * GitHub accepts `issues` or `pull_requests` for a pull request's comments.
 */

export type Requirement = [Permission, Access];

interface AppPermissionData {
  permissions: Record<string, { read?: string[]; write?: string[] }>;
}

const data = createRequire(import.meta.url)(
  '@octokit/app-permissions/generated/api.github.com.json',
) as AppPermissionData;

/**
 * Where the data is known to fall short of GitHub's documentation. Each entry is added to what
 * the data says, never replaces it.
 */
const SUPPLEMENTS: Record<string, Requirement[]> = {
  // The data lists only `single_file` for writing a file, but the endpoint's documentation
  // (https://docs.github.com/rest/repos/contents#create-or-update-file-contents) requires
  // "Contents" repository permissions (write), which is what an App or GITHUB_TOKEN holds.
  'PUT /repos/{}/{}/contents/{}': [['contents', 'write']],
  'DELETE /repos/{}/{}/contents/{}': [['contents', 'write']],
};

/** `GET /repos/{}/{}/pulls/{}`: parameter names differ between sources, the shape does not. */
const shape = (method: string, template: string): string =>
  `${method.toUpperCase()} ${template.replace(/\{[^}]*\}/g, '{}')}`;

const table = new Map<string, Requirement[]>();
for (const [permission, levels] of Object.entries(data.permissions)) {
  for (const access of ['read', 'write'] as const) {
    for (const endpoint of levels[access] ?? []) {
      const [method = '', template = ''] = endpoint.split(' ');
      const key = shape(method, template);
      table.set(key, [...(table.get(key) ?? []), [permission as Permission, access]]);
    }
  }
}
for (const [key, extra] of Object.entries(SUPPLEMENTS)) {
  table.set(key, [...(table.get(key) ?? []), ...extra]);
}

/**
 * The permissions GitHub accepts for an emulator route (`/repos/:owner/:repo/contents/*path`),
 * or undefined when GitHub's data does not list the endpoint.
 */
export function requiredPermissions(method: string, path: string): Requirement[] | undefined {
  const template = path.replace(/\/[:*][^/]+/g, '/{}');
  return table.get(shape(method, template));
}
