/**
 * The commented `jit.config.yaml` `jit init` writes, one per backend. Every value is a
 * placeholder the organisation replaces (account ids, role ARNs, people, profiles), but the file
 * as written loads: `jit validate` accepts it, so each later edit is checked against a valid start.
 */

export type Backend = 'iam' | 'identity-center';

export interface ConfigParams {
  backend: Backend;
  /** The GitHub organisation, for the approver teams. */
  org: string;
  /** Where editors find the config's JSON Schema. */
  schemaUrl: string;
}

const HEADER = (p: ConfigParams) => `# yaml-language-server: $schema=${p.schemaUrl}
#
# The organisation's jit-access configuration: which accounts exist, who may request access to
# them, what they may request, and who must approve. Changes to this file go through CODEOWNERS
# like any other, and a pull request that changes it cannot also grant anything.
# Replace every example value below (account ids, role ARNs, people, teams); \`jit validate\`
# checks the file after each change.
version: 1

defaults:
  # The longest any grant may last; profiles and custom requests may only lower it (12h at most).
  maxDuration: 8h
  approvals: 1
  # The requester's CloudTrail activity in the review comment (runbooks/requester-context.yaml).
  runbook: runbooks/requester-context.yaml
`;

const IAM_ACCOUNTS = `
# One entry per AWS account, each with the roles deploy/jit-access.yaml created in it (stack
# outputs BrokerRoleArn and RunbookRoleArn).
accounts:
  prod:
    id: '123456789012' # quoted: YAML would drop a leading zero from a number
    brokerRole: arn:aws:iam::123456789012:role/jit-access/jit-access-broker
    # Optional: lets the request check show the requester's CloudTrail activity.
    runbookRole: arn:aws:iam::123456789012:role/jit-access/jit-access-runbook
    regions: [eu-west-1]

# Who receives a grant: the IAM user or role of each person in each account. The template
# applies only to the people listed; principals (login -> account alias -> ARN) win over it.
principalTemplate: arn:aws:iam::{accountId}:user/people/{login}
people: [octocat]
principals: {}
`;

const IDENTITY_CENTER_ACCOUNTS = `
# One entry per AWS account. backend: identity-center assigns each grant as a permission set to
# the person's Identity Center user; keep deploy/jit-access.yaml in the account too (its broker
# role reads CloudTrail for the usage report, its runbook role serves the request check).
accounts:
  prod:
    id: '123456789012' # quoted: YAML would drop a leading zero from a number
    brokerRole: arn:aws:iam::123456789012:role/jit-access/jit-access-broker
    # Optional: lets the request check show the requester's CloudTrail activity.
    runbookRole: arn:aws:iam::123456789012:role/jit-access/jit-access-runbook
    regions: [eu-west-1]
    backend: identity-center # such an account takes no principals

# The organisation's Identity Center instance (\`aws sso-admin list-instances\` in the
# management or delegated administrator account) and the broker role
# deploy/jit-access-identity-center.yaml created there.
identityCenter:
  instanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef
  identityStoreId: d-1234567890
  region: eu-west-1 # the instance's home region
  brokerRole: arn:aws:iam::111122223333:role/jit-access/jit-access-sso-broker
  users: {} # GitHub login -> Identity Center user name; wins over userName
  userName: '{login}@example.com' # for the people below without a users entry

# The GitHub logins who may ask for access.
people: [octocat]
principals: {}
`;

const REST = (p: ConfigParams) => `
# What people may ask for. approvers: GitHub logins or teams (org/team-slug); empty means any
# code owner of requests/.
profiles:
  readonly:
    description: Look around without changing anything (describe, list and get on common services).
    statements:
      - actions:
          - ec2:Describe*
          - cloudwatch:GetMetricData
          - cloudwatch:ListMetrics
          - logs:DescribeLogGroups
          - logs:FilterLogEvents
          - s3:ListAllMyBuckets
        resources: ['*']
    maxDuration: 8h
    approvals: 1
    approvers: [${p.org}/access-approvers]

# Requests that list their own permissions instead of a profile.
custom:
  allowed: true
  approvals: 2
  approvers: [${p.org}/platform-security]
  maxDuration: 4h

# Never granted, whatever a profile or request says.
denyActions:
  - organizations:*
  - account:*
  - iam:CreateUser
  - iam:CreateAccessKey
  - iam:CreateLoginProfile
  - iam:UpdateLoginProfile
  - iam:DeleteRolePermissionsBoundary
  - iam:DeleteUserPermissionsBoundary
  - cloudtrail:DeleteTrail
  - cloudtrail:StopLogging
  - cloudtrail:UpdateTrail

# Privilege escalation and persistence actions need one more approval (or policy: deny).
highRisk:
  policy: extra-approval
  extraApprovals: 1

# Set required: true (and a pattern) to make every request name its incident or change.
ticket:
  required: false
  pattern: ^(INC|CHG)-[0-9]{1,8}$
`;

export const configFile = (p: ConfigParams): string =>
  HEADER(p) + (p.backend === 'iam' ? IAM_ACCOUNTS : IDENTITY_CENTER_ACCOUNTS) + REST(p);
