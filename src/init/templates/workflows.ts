/**
 * The access repository's workflows. Each is a function of the repository's default branch
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
  /** How the doctor and audit workflows run the CLI, e.g. `npx --yes jit-access@1.0.0`. */
  cli: string;
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
    # The jit-request environment (deployment branches: ${p.defaultBranch} only) holds the review
    # App's key and the notification URL, so a workflow pushed to another branch cannot read them.
    # It is not jit-grant: this job's OIDC token can never reach the broker role.
    environment: jit-request
    permissions:
      contents: read
      pull-requests: write
      id-token: write
    steps:
${CHECKOUT_STEP}      # Optional (decision 031): the jit-access-review App asks each valid request's approvers
      # for review. GITHUB_TOKEN cannot ask a team; this App can do no more than that (pull
      # requests write, members read) and is not the App that grants or writes the decision log.
      - id: review-app
        if: vars.JIT_REVIEW_APP_CLIENT_ID != ''
        uses: ${APP_TOKEN}
        with:
          client-id: \${{ vars.JIT_REVIEW_APP_CLIENT_ID }}
          private-key: \${{ secrets.JIT_REVIEW_APP_PRIVATE_KEY }}
          permission-members: read
          permission-pull-requests: write
      - uses: ${p.action('request')}
        with:
          review-token: \${{ steps.review-app.outputs.token }}
          # Optional: the jit-request environment secret JIT_NOTIFY_WEBHOOK_URL announces each
          # request PR when it is opened or reopened.
          notify-webhook-url: \${{ secrets.JIT_NOTIFY_WEBHOOK_URL }}
          notify-format: \${{ vars.JIT_NOTIFY_FORMAT }}
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
          # Optional: the jit-grant environment secret JIT_NOTIFY_WEBHOOK_URL and the variable
          # JIT_NOTIFY_FORMAT (slack, teams or json) announce each decision; unset, nothing is sent.
          notify-webhook-url: \${{ secrets.JIT_NOTIFY_WEBHOOK_URL }}
          notify-format: \${{ vars.JIT_NOTIFY_FORMAT }}
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
    # Comments only matter on pull requests and only when they start with /revoke or
    # /break-glass (decision 026).
    if: >-
      github.event_name != 'issue_comment' ||
      (github.event.issue.pull_request && (startsWith(github.event.comment.body, '/revoke') ||
      startsWith(github.event.comment.body, '/break-glass')))
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
          # Optional: the jit-grant environment secret JIT_NOTIFY_WEBHOOK_URL and the variable
          # JIT_NOTIFY_FORMAT (slack, teams or json) announce each decision; unset, nothing is sent.
          notify-webhook-url: \${{ secrets.JIT_NOTIFY_WEBHOOK_URL }}
          notify-format: \${{ vars.JIT_NOTIFY_FORMAT }}
`;

export const doctorWorkflow = (
  p: WorkflowParams,
): string => `# Daily check that the repository's own settings still force every grant through review
# (rulesets, CODEOWNERS, the jit-grant and jit-request environments, Actions settings). Reading
# rulesets and environments needs administration read, which GITHUB_TOKEN cannot have:
# JIT_DOCTOR_TOKEN is a fine-grained token (or GitHub App token) with read-only Administration,
# Contents, Environments and Actions on this repository. Doctor reads everything through the
# API: nothing is checked out.
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
      - run: ${p.cli} doctor
        env:
          GITHUB_TOKEN: \${{ secrets.JIT_DOCTOR_TOKEN }}
`;

export const auditWorkflow = (
  p: WorkflowParams,
): string => `# The monthly audit: every request decided in the previous month, read from the decision log
# (the jit-log branch) through the GitHub API: who asked and why, who approved at which commit,
# what was granted for how long, how it ended and what was used. Its figures come from the
# records alone, so anyone who can read the branch can recompute them. The report goes to the
# job summary and a 400-day artifact (md, csv, json); with the repository variable
# JIT_AUDIT_ISSUE set to 'true' it is also opened as an issue. A manual run may name the period.
name: jit audit
on:
  schedule:
    - cron: '23 6 1 * *'
  workflow_dispatch:
    inputs:
      since:
        description: First day (UTC, e.g. 2026-11-01); the previous month when empty.
        required: false
      until:
        description: Day after the last (UTC, e.g. 2026-12-01); the first of this month when empty.
        required: false
permissions: {}
jobs:
  audit:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    # Reading the log branch and pull request authors; writing an issue only when asked to.
    permissions:
      contents: read
      pull-requests: read
      issues: write
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
        with:
          persist-credentials: false
      - uses: actions/setup-node@2028fbc5c25fe9cf00d9f06a71cc4710d4507903 # v6.0.0
        with:
          node-version: 24
      - name: Audit the period
        id: audit
        env:
          GITHUB_TOKEN: \${{ github.token }}
          SINCE: \${{ inputs.since }}
          UNTIL: \${{ inputs.until }}
        run: |
          this_month="$(date -u +%Y-%m-01)"
          since="\${SINCE:-$(date -u -d "$this_month -1 month" +%Y-%m-01)}"
          until="\${UNTIL:-$this_month}"
          ${p.cli} audit --since "$since" --until "$until" --out-dir jit-audit > /dev/null
          head -c 1000000 jit-audit/audit.md >> "$GITHUB_STEP_SUMMARY"
          echo "since=$since" >> "$GITHUB_OUTPUT"
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
        with:
          name: jit-audit-\${{ steps.audit.outputs.since }}
          path: jit-audit/
          retention-days: 400
      - name: Open the report as an issue
        if: vars.JIT_AUDIT_ISSUE == 'true'
        env:
          GH_TOKEN: \${{ github.token }}
          SINCE: \${{ steps.audit.outputs.since }}
        run: |
          # An issue body holds at most 65,536 characters; the artifact has the whole report.
          head -c 60000 jit-audit/audit.md > issue.md
          printf '\\n\\nWhole report (md, csv, json): %s/%s/actions/runs/%s\\n' \\
            "$GITHUB_SERVER_URL" "$GITHUB_REPOSITORY" "$GITHUB_RUN_ID" >> issue.md
          gh issue create --title "jit-access audit from $SINCE" --body-file issue.md
`;

/** The workflow files of an access repository, by path. */
export const workflowFiles = (p: WorkflowParams): Record<string, string> => ({
  '.github/workflows/request.yml': requestWorkflow(p),
  '.github/workflows/grant.yml': grantWorkflow(p),
  '.github/workflows/revoke.yml': revokeWorkflow(p),
  '.github/workflows/doctor.yml': doctorWorkflow(p),
  '.github/workflows/audit.yml': auditWorkflow(p),
});
