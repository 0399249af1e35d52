import { initFiles, type InitOptions } from '../../src/init/files.js';

/** The option sets every generated-file test runs over: both backends, tag and SHA pins, a non-main branch. */
export const VARIANTS: { name: string; options: InitOptions }[] = [
  {
    name: 'iam, @v1',
    options: { backend: 'iam', org: 'acme', repo: 'access', defaultBranch: 'main' },
  },
  {
    name: 'identity-center, pinned to a commit, trunk',
    options: {
      backend: 'identity-center',
      org: 'example-org',
      repo: 'aws-access',
      defaultBranch: 'trunk',
      actionsSha: '0123456789abcdef0123456789abcdef01234567',
    },
  },
];

/** The files of one variant by path; throws (a test bug) when the options are refused. */
export function render(options: InitOptions): Record<string, string> {
  const files = initFiles(options);
  if (!files.ok) throw new Error(files.problems.map((p) => p.message).join('; '));
  return Object.fromEntries(files.value.map((f) => [f.path, f.content]));
}
