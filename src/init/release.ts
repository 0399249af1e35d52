/**
 * The release `jit init` pins new access repositories to. It mirrors package.json (`version`,
 * `name`, `repository`), the one place a release is decided; test/init/release.test.ts fails when
 * the two differ, and the release workflow refuses a tag that is not `v` + this version.
 */
export const RELEASE = {
  /** The GitHub repository the actions are used from, as `owner/name`. */
  repository: 'jit-access/jit-access',
  version: '1.0.0',
  /** The npm package whose `jit` command the doctor workflow runs. */
  npmPackage: 'jit-access',
} as const;

/** The moving tag of a release's major version: `1.4.2` → `v1`. */
export const majorTag = (version: string): string => `v${version.split('.')[0]}`;
