/**
 * Privilege-escalation, persistence and defence-evasion permissions, as data. Each entry applies
 * when a policy grants every action it lists (combinations like lambda:CreateFunction plus
 * iam:PassRole only escalate together) and, for resource-sensitive entries, when the statement
 * granting the first action reaches the risky resources.
 */
import type { AccessLevel } from './actions.js';

/**
 * `wildcard`: risky only on a wildcard resource (`*`, `arn:aws:iam::*:role/*`); one named
 * resource was reviewed as such. `jit-policies`: risky when the resources can name a jit grant
 * policy (`arn:aws:iam::<account>:policy/jit/...`), i.e. the requester's own grant.
 */
export type ResourceScope = 'wildcard' | 'jit-policies';

export interface EscalationEntry {
  /** Action names or patterns; all must be granted somewhere in the policy. */
  actions: string[];
  resources?: ResourceScope;
  /** When set, only actions of these access levels count (e.g. organizations writes, not reads). */
  levels?: AccessLevel[];
  reason: string;
  sources: string[];
}

const RHINO = 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/';
const BISHOPFOX = 'https://github.com/BishopFox/iam-vulnerable';
const HTC = 'https://hackingthe.cloud/aws/exploitation/iam_privilege_escalation/';
const PASSROLE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html';
const VERSIONS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html';
const BOUNDARIES =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html';
const SWITCH_ROLE =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html';
const TIME_CONDITIONS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws-dates.html';
const TRAIL_SECURITY =
  'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html';
const MITRE_CLOUD_LOGS = 'https://attack.mitre.org/techniques/T1562/008/';
const KMS_DELETE = 'https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html';
const ORGS =
  'https://docs.aws.amazon.com/organizations/latest/userguide/security_iam_id-based-policy-examples.html';
const SESSION_MANAGER =
  'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html';

const JIT_POLICY_REASON =
  'can alter or remove jit grant policies (the path /jit/), so the requester could rewrite their own grant without its time conditions, extend it, or erase the record of other grants';

export const ESCALATIONS: readonly EscalationEntry[] = [
  {
    actions: ['iam:CreateAccessKey'],
    reason:
      'mints long-lived access keys for any user in reach, including more privileged ones; the keys outlive the grant',
    sources: [RHINO, BISHOPFOX, HTC],
  },
  {
    actions: ['iam:CreateLoginProfile'],
    reason:
      'sets a console password on a user that has none, giving a sign-in as that user that outlives the grant',
    sources: [RHINO, BISHOPFOX, HTC],
  },
  {
    actions: ['iam:UpdateLoginProfile'],
    reason: "resets another user's console password and takes over their identity",
    sources: [RHINO, BISHOPFOX, HTC],
  },
  ...['User', 'Role', 'Group'].map((kind) => ({
    actions: [`iam:Attach${kind}Policy`],
    reason: `attaches any managed policy, AdministratorAccess included, to a ${kind.toLowerCase()}: self-service admin`,
    sources: [RHINO, BISHOPFOX, HTC],
  })),
  ...['User', 'Role', 'Group'].map((kind) => ({
    actions: [`iam:Put${kind}Policy`],
    reason: `writes an arbitrary inline policy onto a ${kind.toLowerCase()}, granting it anything`,
    sources: [RHINO, BISHOPFOX, HTC],
  })),
  {
    actions: ['iam:CreatePolicyVersion'],
    reason:
      'publishes a new default version of a managed policy already attached somewhere, rewriting what it grants',
    sources: [RHINO, BISHOPFOX, HTC, VERSIONS],
  },
  {
    actions: ['iam:SetDefaultPolicyVersion'],
    reason:
      'switches a managed policy back to an older, possibly broader version that is still stored',
    sources: [RHINO, BISHOPFOX, HTC, VERSIONS],
  },
  {
    actions: ['iam:PassRole'],
    resources: 'wildcard',
    reason:
      'hands any role in the account to a service the requester controls, which then acts with that role',
    sources: [PASSROLE, RHINO, HTC],
  },
  {
    actions: ['iam:UpdateAssumeRolePolicy'],
    reason: "rewrites a role's trust policy so the requester (or an outside account) can assume it",
    sources: [RHINO, BISHOPFOX, HTC],
  },
  {
    actions: ['iam:AddUserToGroup'],
    reason: 'joins a user to a more privileged group and inherits its permissions',
    sources: [RHINO, BISHOPFOX, HTC],
  },
  ...['iam:AttachRolePolicy', 'iam:PutRolePolicy'].map((attach) => ({
    actions: ['iam:CreateRole', attach],
    reason:
      'creates a new role with permissions and a trust policy of the requester’s choosing: a backdoor that outlives the grant',
    sources: [HTC, BISHOPFOX],
  })),
  ...['User', 'Role', 'Group'].map((kind) => ({
    actions: [`iam:Detach${kind}Policy`],
    reason: `removes managed policies from a ${kind.toLowerCase()}, including Deny policies that fence it in`,
    sources: [HTC],
  })),
  ...['User', 'Role'].flatMap((kind) =>
    [`iam:Delete${kind}PermissionsBoundary`, `iam:Put${kind}PermissionsBoundary`].map((action) => ({
      actions: [action],
      reason: `removes or replaces the permissions boundary that caps a ${kind.toLowerCase()}'s effective permissions`,
      sources: [BOUNDARIES, HTC],
    })),
  ),
  {
    actions: ['sts:AssumeRole'],
    resources: 'wildcard',
    reason:
      'assumes any role whose trust policy lets this principal in, not just one reviewed role',
    sources: [SWITCH_ROLE, HTC],
  },
  {
    actions: ['lambda:UpdateFunctionCode'],
    reason: 'replaces the code of an existing function, which then runs with the function’s role',
    sources: [RHINO, BISHOPFOX, HTC],
  },
  {
    actions: ['lambda:UpdateFunctionConfiguration'],
    reason:
      'changes layers or environment of an existing function to run injected code with the function’s role',
    sources: [BISHOPFOX, HTC],
  },
  {
    actions: ['lambda:CreateFunction', 'iam:PassRole'],
    reason: 'creates a function with any passable role and runs code as that role',
    sources: [RHINO, BISHOPFOX, HTC],
  },
  {
    actions: ['ec2:RunInstances', 'iam:PassRole'],
    reason:
      'launches an instance with a passable role’s instance profile and reads its credentials from the instance',
    sources: [RHINO, BISHOPFOX, HTC],
  },
  {
    actions: ['glue:UpdateDevEndpoint'],
    reason: 'puts the requester’s SSH key on a Glue dev endpoint and uses the role attached to it',
    sources: [RHINO, BISHOPFOX, HTC],
  },
  {
    actions: ['glue:CreateDevEndpoint', 'iam:PassRole'],
    reason: 'creates a Glue dev endpoint with a passable role and logs in to use it',
    sources: [RHINO, BISHOPFOX, HTC],
  },
  {
    actions: ['cloudformation:CreateStack', 'iam:PassRole'],
    reason:
      'creates a stack that runs under a passable service role, so any resource, IAM included, can be created with that role',
    sources: [RHINO, BISHOPFOX, HTC],
  },
  {
    actions: ['ssm:SendCommand'],
    reason: 'runs commands on managed instances as root, with their instance role credentials',
    sources: [HTC, BISHOPFOX],
  },
  {
    actions: ['ssm:StartSession'],
    reason: 'opens a shell on managed instances, with their instance role credentials',
    sources: [HTC, SESSION_MANAGER],
  },
  ...[
    'iam:CreatePolicyVersion',
    'iam:SetDefaultPolicyVersion',
    'iam:DeletePolicyVersion',
    'iam:DeletePolicy',
    'iam:TagPolicy',
    'iam:UntagPolicy',
  ].map((action) => ({
    actions: [action],
    resources: 'jit-policies' as const,
    reason: JIT_POLICY_REASON,
    sources: [TIME_CONDITIONS, VERSIONS],
  })),
  ...['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'].map((name) => ({
    actions: [`cloudtrail:${name}`],
    reason:
      'stops or narrows CloudTrail logging, hiding what is done with the grant (defence evasion)',
    sources: [TRAIL_SECURITY, MITRE_CLOUD_LOGS],
  })),
  {
    actions: ['kms:ScheduleKeyDeletion'],
    reason: 'schedules a KMS key for deletion; everything encrypted under it becomes unreadable',
    sources: [KMS_DELETE],
  },
  {
    actions: ['organizations:*'],
    levels: ['Write', 'Permissions management', 'Tagging'],
    reason:
      'changes the organization itself: service control policies, accounts and delegated admins reach far beyond this account',
    sources: [ORGS],
  },
];

/** Reported for a bare `*` action, on top of every entry it triggers. */
export const FULL_ACCESS: Pick<EscalationEntry, 'reason' | 'sources'> = {
  reason: 'grants every action of every service: administrator access for the whole window',
  sources: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html', HTC],
};
