/**
 * The files of a new access repository, as `jit init` writes them: pure, so the command only
 * decides where they go and whether an existing file may be replaced.
 */
import { error, fail, ok, type Problem, type Result } from '../problem.js';
import { majorTag, RELEASE } from './release.js';
import { codeownersFile } from './templates/codeowners.js';
import { configFile, type Backend } from './templates/config.js';
import { requestsReadme } from './templates/requests-readme.js';
import { requesterContextRunbook } from './templates/runbook.js';
import { workflowFiles, type ActionName } from './templates/workflows.js';

export type { Backend } from './templates/config.js';

export interface InitOptions {
  backend: Backend;
  /** The GitHub organisation that owns the access repository. */
  org: string;
  /** The access repository's name. */
  repo: string;
  defaultBranch: string;
  /**
   * The commit of the release to pin the actions to; without it they follow the release's major
   * tag (`@v1`), which moves with every compatible release.
   */
  actionsSha?: string;
  /** The release: the repository the actions come from and its version (default RELEASE). */
  release?: { repository: string; version: string; npmPackage: string };
}

export interface InitFile {
  /** Relative to the repository root, `/`-separated. */
  path: string;
  content: string;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;
/**
 * A branch name that is a valid git ref and needs neither quoting in YAML nor escaping as a
 * GitHub branch filter (`*`, `?`, `[`, `!`, `+` are glob characters there).
 */
const BRANCH = /^(?!.*\.\.)(?!.*\/\/)(?!.*\.lock$)[A-Za-z0-9][A-Za-z0-9._/-]{0,199}(?<![./])$/;
const SHA = /^[0-9a-f]{40}$/;

/** Each option that cannot make a working repository, named. */
export function checkOptions(o: InitOptions): Problem[] {
  const problems: Problem[] = [];
  if (!LOGIN.test(o.org))
    problems.push(error('org', `--org must be a GitHub organisation name, not "${o.org}"`));
  if (!REPO_NAME.test(o.repo) || o.repo === '.' || o.repo === '..')
    problems.push(error('repo', `--repo must be a repository name, not "${o.repo}"`));
  if (!BRANCH.test(o.defaultBranch))
    problems.push(
      error(
        'default-branch',
        `--default-branch must be a plain branch name (letters, digits, ".", "_", "-", "/"), not "${o.defaultBranch}"`,
      ),
    );
  if (o.actionsSha !== undefined && !SHA.test(o.actionsSha))
    problems.push(
      error(
        'actions-sha',
        `--actions-sha must be a full 40-character commit SHA, not "${o.actionsSha}"`,
      ),
    );
  return problems;
}

/** The `uses:` value of one jit-access action: the major tag, or the commit with its version. */
export function actionReference(
  name: ActionName,
  release: { repository: string; version: string },
  sha?: string,
): string {
  const path = `${release.repository}/actions/${name}`;
  return sha === undefined
    ? `${path}@${majorTag(release.version)}`
    : `${path}@${sha} # v${release.version}`;
}

/** Everything a new access repository holds, or why these options cannot make one. */
export function initFiles(o: InitOptions): Result<InitFile[]> {
  const problems = checkOptions(o);
  if (problems.length > 0) return fail(problems);
  const release = o.release ?? RELEASE;
  // Schemas from the same release as the actions, so editors check what the actions accept.
  const schema = (name: string) =>
    `https://raw.githubusercontent.com/${release.repository}/v${release.version}/schemas/${name}.schema.json`;
  const workflows = workflowFiles({
    defaultBranch: o.defaultBranch,
    action: (name) => actionReference(name, release, o.actionsSha),
    cli: `npx --yes ${release.npmPackage}@${release.version}`,
  });
  return ok([
    ...Object.entries(workflows).map(([path, content]) => ({ path, content })),
    { path: '.github/CODEOWNERS', content: codeownersFile(o.org) },
    {
      path: 'jit.config.yaml',
      content: configFile({ backend: o.backend, org: o.org, schemaUrl: schema('config') }),
    },
    {
      path: 'requests/README.md',
      content: requestsReadme({ schemaRef: schema('request'), examples: false }),
    },
    {
      path: 'runbooks/requester-context.yaml',
      content: requesterContextRunbook(schema('runbook')),
    },
  ]);
}

/** What the user does after `jit init`, in order, ending with doctor. */
export function nextSteps(o: InitOptions, dir: string): string {
  const full = `${o.org}/${o.repo}`;
  const release = o.release ?? RELEASE;
  const deploy = (file: string) =>
    `https://github.com/${release.repository}/blob/v${release.version}/deploy/${file}`;
  // The roles trust runs on main unless told otherwise.
  const branchParam = o.defaultBranch === 'main' ? '' : `, GitHubDefaultBranch=${o.defaultBranch}`;
  const identityCenter =
    o.backend === 'identity-center'
      ? `     For Identity Center, deploy ${deploy('jit-access-identity-center.yaml')}\n` +
        `     (the same GitHub parameters) once in the management (or delegated administrator)\n` +
        `     account and fill in the identityCenter block.\n`
      : '';
  return `Next steps (https://github.com/${release.repository}#set-up-your-access-repository):
  1. Edit ${dir === '.' ? '' : `${dir}/`}jit.config.yaml: your accounts, people, profiles and teams
     (${o.org}/platform-security, ${o.org}/access-approvers); check it with \`jit validate\`.
  2. Create the private repository ${full} and push these files to ${o.defaultBranch}.
  3. In each AWS account deploy ${deploy('jit-access.yaml')}
     (GitHubOrg=${o.org}, GitHubRepo=${o.repo}${branchParam}, GitHubRepositoryId from
     \`gh api repos/${full} --jq .id\`) and put its role ARNs in the config.
${identityCenter}  4. Create the jit-grant and jit-request environments (deployment branch: ${o.defaultBranch} only),
     the GitHub App (JIT_APP_CLIENT_ID variable and JIT_APP_PRIVATE_KEY secret in jit-grant),
     optionally the review App (JIT_REVIEW_APP_CLIENT_ID and JIT_REVIEW_APP_PRIVATE_KEY in
     jit-request), the rulesets on ${o.defaultBranch} and jit-log, and the Actions settings, as
     the README's setup says.
  5. Check it: GITHUB_TOKEN=… jit doctor --repo ${full}
`;
}
