/**
 * The access repository's four workflows. Each is a function of the repository's default branch
 * (the only branch whose runs may grant) and of how the jit-access actions are referenced, so
 * `jit init` writes them pinned to a release and the tests render them for any branch or pin.
 * GitHub expressions are written `\${{ }}` (escaped from TypeScript's own interpolation).
 */

export type ActionName = 'request' | 'grant' | 'revoke';

export interface WorkflowParams {
  /** The branch merges land on; grant runs only for pushes to it. A plain name (see files.ts). */
  defaultBranch: string;
  /** The `uses:` value (with any trailing `# version` comment) of one jit-access action. */
  action: (name: ActionName) => string;
  /** The command line doctor runs, e.g. `npx --yes jit-access@1.0.0 doctor`. */
  doctorCommand: string;
}

/** The third-party actions, each pinned to a full commit (the tag in the comment). */
const CHECKOUT = 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0';
const SETUP_NODE = 'actions/setup-node@2028fbc5c25fe9cf00d9f06a71cc4710d4507903 # v6.0.0';
const APP_TOKEN =
  'actions/create-github-app-token@1b10c78c7865c340bc4f6099eb2f838309f1e8c3 # v3.1.1';

const APP_TOKEN_STEP = `      # The App's installation token: GITHUB_TOKEN cannot read organisation team membership,
      # so approvals by team could never count. The key is a jit-grant environment secret, so
      # only this job (default branch only, after the environment's rules) can mint it; the
      # token is scoped to this repository and to exactly these permissions, and revoked when
      # the job ends.
      - id: app
        uses: ${APP_TOKEN}
        with:
          client-id: \${{ vars.JIT_APP_CLIENT_ID }}
          private-key: \${{ secrets.JIT_APP_PRIVATE_KEY }}
          permission-contents: write
          permission-issues: write
          permission-members: read
          permission-metadata: read
          permission-pull-requests: write
`;

const CHECKOUT_STEP = `      - uses: ${CHECKOUT}
        with:
          persist-credentials: false
`;

export const requestWorkflow = (
  p: WorkflowParams,
): string => `# Checks access requests and posts the review comment. pull_request_target runs the base
# branch's workflow and action with the base checkout: the PR's files are read through the API as
# data and never checked out or executed. Its only AWS access is each account's read-only
# runbook role (CloudTrail LookupEvents), trusted for request.yml on ${p.defaultBranch} alone.
name: jit request
on:
  pull_request_target:
    types: [opened, synchronize, reopened]
    paths: ['requests/**']
permissions: {}
concurrency:
  group: jit-request-\${{ github.event.pull_request.number }}
  cancel-in-progress: true
jobs:
  check:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      contents: read
      pull-requests: write
      id-token: write
    steps:
${CHECKOUT_STEP}      - uses: ${p.action('request')}
`;

export const grantWorkflow = (
  p: WorkflowParams,
): string => `# Grants merged, approved requests. It reconciles: every run handles every request that is due,
# so a run cancelled by concurrency loses nothing. Only this job, in the jit-grant environment
# (deployment branches: ${p.defaultBranch} only), can obtain the broker role's credentials and the
# jit-access GitHub App's token.
name: jit grant
on:
  push:
    branches: [${p.defaultBranch}]
    paths: ['requests/**']
  workflow_dispatch:
permissions: {}
concurrency:
  group: jit-grant
  cancel-in-progress: false
jobs:
  grant:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    environment: jit-grant
    # GITHUB_TOKEN only checks out the code and asks for the OIDC token; GitHub is read and
    # written through the App's token below.
    permissions:
      contents: read
      id-token: write
    steps:
${CHECKOUT_STEP}${APP_TOKEN_STEP}      - uses: ${p.action('grant')}
        with:
          github-token: \${{ steps.app.outputs.token }}
          comment-author: \${{ steps.app.outputs.app-slug }}[bot]
`;

export const revokeWorkflow = (
  p: WorkflowParams,
): string => `# Removes expired grants. The IAM conditions already stop access at expiry; this sweep cleans up,
# tells each PR and reports what was used, so hourly is enough (off the hour, when GitHub's
# scheduler is busiest). \`/revoke\` on a request PR ends a grant early: its comment starts a run,
# and every run answers every unanswered \`/revoke\`, so a run the concurrency group replaced
# loses nothing.
name: jit revoke
on:
  schedule:
    - cron: '17 * * * *'
  workflow_dispatch:
  issue_comment:
    types: [created]
permissions: {}
concurrency:
  group: jit-revoke
  cancel-in-progress: false
jobs:
  revoke:
    # Comments only matter on pull requests and only when they start with /revoke.
    if: >-
      github.event_name != 'issue_comment' ||
      (github.event.issue.pull_request && startsWith(github.event.comment.body, '/revoke'))
    runs-on: ubuntu-latest
    timeout-minutes: 15
    environment: jit-grant
    # GITHUB_TOKEN only checks out the code and asks for the OIDC token; GitHub is read and
    # written through the App's token below.
    permissions:
      contents: read
      id-token: write
    steps:
${CHECKOUT_STEP}${APP_TOKEN_STEP}      - uses: ${p.action('revoke')}
        with:
          github-token: \${{ steps.app.outputs.token }}
          comment-author: \${{ steps.app.outputs.app-slug }}[bot]
`;

export const doctorWorkflow = (
  p: WorkflowParams,
): string => `# Daily check that the repository's own settings still force every grant through review
# (rulesets, CODEOWNERS, the jit-grant environment, Actions settings). Reading rulesets and
# environments needs administration read, which GITHUB_TOKEN cannot have: JIT_DOCTOR_TOKEN is a
# fine-grained token (or GitHub App token) with read-only Administration, Contents, Environments
# and Actions on this repository. Doctor reads everything through the API: nothing is checked out.
name: jit doctor
on:
  schedule:
    - cron: '17 6 * * *'
  workflow_dispatch:
permissions: {}
jobs:
  doctor:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions: {}
    steps:
      - uses: ${SETUP_NODE}
        with:
          node-version: 24
      - run: ${p.doctorCommand}
        env:
          GITHUB_TOKEN: \${{ secrets.JIT_DOCTOR_TOKEN }}
`;

/** The workflow files of an access repository, by path. */
export const workflowFiles = (p: WorkflowParams): Record<string, string> => ({
  '.github/workflows/request.yml': requestWorkflow(p),
  '.github/workflows/grant.yml': grantWorkflow(p),
  '.github/workflows/revoke.yml': revokeWorkflow(p),
  '.github/workflows/doctor.yml': doctorWorkflow(p),
});
