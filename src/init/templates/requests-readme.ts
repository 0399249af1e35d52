/**
 * requests/README.md: the request format, for the people who ask. One text for this repository's
 * requests/README.md (test/init/templates.test.ts holds them equal) and every access repository
 * `jit init` creates, which has no example files and reads the schema from the release.
 */
export interface RequestsReadmeParams {
  /** Where editors find the request JSON Schema, relative or a URL. */
  schemaRef: string;
  /** Whether requests/ holds the two example files the text points to. */
  examples: boolean;
}

const EXAMPLES = `Start from [\`example-profile.yaml\`](example-profile.yaml) or, when no profile fits,
[\`example-custom.yaml\`](example-custom.yaml). The first line lets editors with the YAML
extension (yaml-language-server) complete and check the fields as you type.`;

const NO_EXAMPLES = `The first line lets editors with the YAML extension (yaml-language-server) complete and check
the fields as you type.`;

export const requestsReadme = (p: RequestsReadmeParams): string => `# Requesting AWS access

To get temporary access to an AWS account, open a pull request that adds **one file**,
\`requests/<id>.yaml\`. The \`request\` check validates it and comments with exactly what would be
granted, the risks, and who must approve. When the approvers have approved and the PR merges,
the access is granted; it stops on its own when the duration is over.

\`\`\`yaml
# yaml-language-server: $schema=${p.schemaRef}
requester: octocat
account: prod
profile: s3-logs-read
duration: 2h
reason: Investigate the failed nightly export; need the access logs from last night.
ticket: INC-4211
\`\`\`

${p.examples ? EXAMPLES : NO_EXAMPLES}

## The file name is the request id

\`<id>\` is 3 to 64 lowercase letters, digits and hyphens, starting with a letter or digit, e.g.
\`octocat-prod-logs.yaml\`. It names the grant in AWS (\`/jit/jit-<id>\`), so pick something that
says what it is for. The extension is \`.yaml\` (not \`.yml\`).

## Fields

| field         | required                    | what                                                                                                                                                                                                    |
| ------------- | --------------------------- | ------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------- |
| \`requester\`   | yes                         | your GitHub login. It must be the author of the pull request and have a principal for the account in \`jit.config.yaml\`.                                                                                 |
| \`account\`     | yes                         | the account alias from \`jit.config.yaml\` (\`prod\`, \`staging\`), not the 12-digit id.                                                                                                                      |
| \`profile\`     | this or \`permissions\`       | a named permission set from \`jit.config.yaml\`, e.g. \`s3-logs-read\`, \`readonly\`, \`ec2-restart\`.                                                                                                          |
| \`permissions\` | this or \`profile\`           | custom allow statements (below), when no profile fits. Needs more approvals than a profile.                                                                                                             |
| \`duration\`    | yes                         | how long: \`90m\`, \`2h\`, \`1h30m\`, or ISO 8601 \`PT1H30M\`. At least 15 minutes, at most the profile's (or custom) maximum, and never more than 12 hours. A bare number like \`2\` has no unit and is refused. |
| \`start\`       | no                          | when the access begins, in UTC ending in \`Z\`: \`2026-03-01T09:00:00Z\`. Leave it out to start when the PR is merged. Not in the past (5 minutes of clock skew are allowed), at most 14 days ahead.        |
| \`reason\`      | yes                         | why, for the reviewers and the audit trail: 10 to 500 characters. Several lines are fine (\`reason: \\|\`).                                                                                                |
| \`ticket\`      | when the config requires it | the incident or change, e.g. \`INC-4211\`; the config may require a format.                                                                                                                               |
| \`extends\`     | no                          | the id of your live grant this one extends (below), e.g. \`octocat-logs\`. No \`start\`: an extension starts when merged.                                                                                   |

No other fields are accepted: a misspelt field is an error that names the field you probably
meant.

## Extending a grant

When a grant is about to end and the work is not done, open a new request that names it:

\`\`\`yaml
requester: octocat
account: prod
profile: s3-logs-read
duration: 2h
reason: The export fix needs another two hours of log reading.
extends: octocat-logs
\`\`\`

It is reviewed and approved like any request. If it is merged while \`octocat-logs\` is still
live, the new grant starts at the merge (before the old one ends, so there is no gap) and the
old grant is removed once the new one is attached. It must be your own grant, for the same
account and the same profile (or both custom). A chain of extensions may run at most the
profile's \`maxChain\` from the first grant's start to the last expiry (by default three times
its maximum duration). If the grant had already ended when the extension is merged, it is
granted as a new grant and the comment says so; a revoked grant is never extended.

## Custom permissions

\`\`\`yaml
permissions:
  - actions: [sqs:ReceiveMessage, sqs:DeleteMessage]
    resources:
      - arn:aws:sqs:eu-west-1:210987654321:orders-dead-letter
  - actions: [sqs:ListQueues]
    resources: ['*']
    conditions:
      StringEquals:
        aws:RequestedRegion: eu-west-1
\`\`\`

- \`actions\`: IAM actions as \`service:Action\`; \`*\` and \`?\` are wildcards (\`ec2:Describe*\`). A
  bare \`*\` is not accepted. At most 100 per statement, 20 statements.
- \`resources\`: ARNs, or \`*\` for actions that have no resource.
- \`conditions\` (optional): an IAM condition block, operator → key → value or list of values.
  \`aws:CurrentTime\` and \`aws:EpochTime\` are not allowed: the grant window comes from \`duration\`
  and \`start\`, and every granted statement carries it.
- Only allow statements exist: \`Effect\`, \`NotAction\`, \`NotResource\`, \`Principal\` and \`Sid\` are
  refused. Actions never granted (jit-access's built-in baseline, such as \`iam:CreateAccessKey\`
  and \`cloudtrail:StopLogging\`, and the config's \`denyActions\`) are refused, and
  privilege-escalation or persistence actions need extra approval or are refused, per the config.

## What is refused, and why

The file is read as data, never executed, and refused with the line of each problem when it:

- is larger than 64 KiB, holds more than one YAML document, or uses YAML directives;
- uses anchors (\`&a\`), aliases (\`*a\`), merge keys (\`<<\`) or explicit tags (\`!!str\`, \`!foo\`):
  write values out in full;
- repeats a key, or uses a key that is not text (\`1:\`, \`true:\`, \`~:\`) or is \`__proto__\`,
  \`constructor\` or \`prototype\`;
- nests deeper than 24 levels, or indents with tabs;
- has control, zero-width or bidirectional-override characters in the reason (they hide or
  reorder text in the review). Markdown, HTML and @mentions in the reason are kept as written
  and shown literally in comments: they never render, link or notify anyone.

YAML reads unquoted \`2\`, \`true\` or \`012345678912\` as a number or boolean. Quote such values
where text is meant; the error message says so when it happens.
`;
