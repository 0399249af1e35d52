/**
 * The high-risk catalogue, as data: privilege escalation, effects that outlive the grant window,
 * reach into jit-access itself, and defence evasion. Each entry applies when a policy grants
 * every action it lists (combinations like lambda:CreateFunction plus iam:PassRole only escalate
 * together) and, for resource-sensitive entries, when the statement granting the first action
 * reaches the risky resources. Any finding makes the request high-risk (see plan/plan.ts).
 */
import type { AccessLevel } from './actions.js';
import { JIT_ACCESS } from './data/risk-jit-access.js';
import { OUTLIVES_WINDOW } from './data/risk-outlives-window.js';
import { SERVICE_PATHS } from './data/risk-service-paths.js';
import {
  BISHOPFOX,
  BOUNDARIES,
  HTC,
  PASSROLE,
  pathfinding,
  RHINO,
  SWITCH_ROLE,
  VERSIONS,
} from './data/risk-sources.js';

/**
 * `wildcard`: risky only on a wildcard resource (`*`, `arn:aws:iam::*:role/*`); one named
 * resource was reviewed as such. The others: risky when the resources can name something
 * jit-access owns, in any account: its grant policies (`policy/jit/...`), its broker and runbook
 * roles (`role/jit-access/...`) or the GitHub OIDC provider they trust.
 */
export type ResourceScope = 'wildcard' | 'jit-policies' | 'jit-roles' | 'jit-oidc';

/**
 * `escalation`: more access than the statements show. `outlives-window`: leaves something behind
 * that keeps working after the `aws:CurrentTime` window closes. `jit-access`: can forge, extend or
 * remove jit grants. `evasion`: hides what is done, or destroys data.
 */
export type RiskKind = 'escalation' | 'outlives-window' | 'jit-access' | 'evasion';

/** How a reviewer reads each kind. */
export const RISK_KIND_LABELS: Record<RiskKind, string> = {
  escalation: 'privilege escalation',
  'outlives-window': 'outlives the window',
  'jit-access': 'reaches jit-access itself',
  evasion: 'hides activity or destroys data',
};

/** A finding's kinds as one label, e.g. `privilege escalation, outlives the window`. */
export const riskLabel = (kinds: readonly RiskKind[]): string =>
  kinds.map((kind) => RISK_KIND_LABELS[kind]).join(', ');

export interface EscalationEntry {
  /** Action names or patterns; all must be granted somewhere in the policy. */
  actions: readonly string[];
  resources?: ResourceScope;
  /** When set, only actions of these access levels count (e.g. organizations writes, not reads). */
  levels?: readonly AccessLevel[];
  kinds: readonly RiskKind[];
  /** One line a reviewer understands: what the requester could do with it. */
  reason: string;
  /** Where the risk is documented; catalogued paths link their pathfinding.cloud page. */
  sources: readonly string[];
}

const TRAIL_SECURITY =
  'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html';
const MITRE_CLOUD_LOGS = 'https://attack.mitre.org/techniques/T1562/008/';
const KMS_DELETE = 'https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html';
const ORGS =
  'https://docs.aws.amazon.com/organizations/latest/userguide/security_iam_id-based-policy-examples.html';

const ATTACH_PATHS: Record<string, string[]> = {
  User: ['iam-008', 'iam-015'],
  Role: ['iam-009', 'iam-014', 'iam-019'],
  Group: ['iam-010'],
};
const PUT_PATHS: Record<string, string[]> = {
  User: ['iam-007', 'iam-018'],
  Role: ['iam-005', 'iam-017', 'iam-021'],
  Group: ['iam-011'],
};

/** IAM itself: identities, policies and trust. Every change here stays after the window. */
const IAM: EscalationEntry[] = [
  {
    actions: ['iam:CreateAccessKey'],
    kinds: ['escalation', 'outlives-window'],
    reason:
      'mints long-lived access keys for any user in reach, including more privileged ones; the keys keep working after the grant ends',
    sources: [RHINO, BISHOPFOX, HTC, ...pathfinding('iam-002', 'iam-003', 'iam-015', 'iam-018')],
  },
  {
    actions: ['iam:CreateLoginProfile'],
    kinds: ['escalation', 'outlives-window'],
    reason:
      'sets a console password on a user that has none, giving a sign-in as that user that outlives the grant',
    sources: [RHINO, BISHOPFOX, HTC, ...pathfinding('iam-004')],
  },
  {
    actions: ['iam:UpdateLoginProfile'],
    kinds: ['escalation', 'outlives-window'],
    reason:
      "resets another user's console password and takes over their identity, well past the grant",
    sources: [RHINO, BISHOPFOX, HTC, ...pathfinding('iam-006')],
  },
  ...['User', 'Role', 'Group'].map((kind): EscalationEntry => ({
    actions: [`iam:Attach${kind}Policy`],
    kinds: ['escalation', 'outlives-window', 'jit-access'],
    reason: `attaches any managed policy to a ${kind.toLowerCase()}: AdministratorAccess (self-service admin) or another person's jit grant policy; the attachment stays after the window`,
    sources: [RHINO, BISHOPFOX, HTC, ...pathfinding(...ATTACH_PATHS[kind]!)],
  })),
  ...['User', 'Role', 'Group'].map((kind): EscalationEntry => ({
    actions: [`iam:Put${kind}Policy`],
    kinds: ['escalation', 'outlives-window'],
    reason: `writes an arbitrary inline policy onto a ${kind.toLowerCase()}, granting it anything with no time limit`,
    sources: [RHINO, BISHOPFOX, HTC, ...pathfinding(...PUT_PATHS[kind]!)],
  })),
  {
    actions: ['iam:CreatePolicyVersion'],
    kinds: ['escalation', 'outlives-window'],
    reason:
      'publishes a new default version of a managed policy already attached somewhere, rewriting what it grants for good',
    sources: [RHINO, BISHOPFOX, HTC, VERSIONS, ...pathfinding('iam-001', 'iam-016', 'iam-020')],
  },
  {
    actions: ['iam:SetDefaultPolicyVersion'],
    kinds: ['escalation', 'outlives-window'],
    reason:
      'switches a managed policy back to an older, possibly broader version that is still stored',
    sources: [RHINO, BISHOPFOX, HTC, VERSIONS],
  },
  {
    actions: ['iam:PassRole'],
    resources: 'wildcard',
    kinds: ['escalation'],
    reason:
      'hands any role in the account to a service the requester controls, which then acts with that role',
    sources: [PASSROLE, RHINO, HTC],
  },
  {
    actions: ['iam:UpdateAssumeRolePolicy'],
    kinds: ['escalation', 'outlives-window'],
    reason:
      "rewrites a role's trust policy so the requester (or an outside account) can assume it after the grant ends",
    sources: [RHINO, BISHOPFOX, HTC, ...pathfinding('iam-012', 'iam-019', 'iam-020', 'iam-021')],
  },
  {
    actions: ['iam:AddUserToGroup'],
    kinds: ['escalation', 'outlives-window'],
    reason: 'joins a user to a more privileged group and inherits its permissions for good',
    sources: [RHINO, BISHOPFOX, HTC, ...pathfinding('iam-013')],
  },
  ...['iam:AttachRolePolicy', 'iam:PutRolePolicy'].map((attach): EscalationEntry => ({
    actions: ['iam:CreateRole', attach],
    kinds: ['escalation', 'outlives-window'],
    reason:
      'creates a new role with permissions and a trust policy of the requester’s choosing: a backdoor that outlives the grant',
    sources: [HTC, BISHOPFOX],
  })),
  ...['User', 'Role', 'Group'].map((kind): EscalationEntry => ({
    actions: [`iam:Detach${kind}Policy`],
    kinds: ['escalation', 'outlives-window', 'jit-access'],
    reason: `removes managed policies from a ${kind.toLowerCase()}: Deny policies that fence it in, or jit grant policies the revoke run then no longer finds attached`,
    sources: [HTC],
  })),
  ...['User', 'Role'].flatMap((kind) =>
    [`iam:Delete${kind}PermissionsBoundary`, `iam:Put${kind}PermissionsBoundary`].map(
      (action): EscalationEntry => ({
        actions: [action],
        kinds: ['escalation', 'outlives-window'],
        reason: `removes or replaces the permissions boundary that caps a ${kind.toLowerCase()}'s effective permissions, for good`,
        sources: [BOUNDARIES, HTC],
      }),
    ),
  ),
  {
    actions: ['sts:AssumeRole'],
    resources: 'wildcard',
    kinds: ['escalation', 'outlives-window'],
    reason:
      'assumes any role whose trust policy lets this principal in, not just one reviewed role; each session lasts up to the role’s maximum (as long as 12 hours) past the grant',
    sources: [SWITCH_ROLE, HTC, ...pathfinding('sts-001', 'iam-014', 'iam-016', 'iam-017')],
  },
  {
    actions: ['organizations:*'],
    levels: ['Write', 'Permissions management', 'Tagging'],
    kinds: ['escalation', 'outlives-window'],
    reason:
      'changes the organization itself: service control policies, accounts and delegated admins reach far beyond this account',
    sources: [ORGS],
  },
];

const EVASION: EscalationEntry[] = [
  ...['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'].map(
    (name): EscalationEntry => ({
      actions: [`cloudtrail:${name}`],
      kinds: ['evasion'],
      reason:
        'stops or narrows CloudTrail logging, hiding what is done with the grant (defence evasion)',
      sources: [TRAIL_SECURITY, MITRE_CLOUD_LOGS],
    }),
  ),
  {
    actions: ['kms:ScheduleKeyDeletion'],
    kinds: ['evasion'],
    reason: 'schedules a KMS key for deletion; everything encrypted under it becomes unreadable',
    sources: [KMS_DELETE],
  },
];

export const ESCALATIONS: readonly EscalationEntry[] = [
  ...IAM,
  ...JIT_ACCESS,
  ...SERVICE_PATHS,
  ...OUTLIVES_WINDOW,
  ...EVASION,
];

/** Reported for a bare `*` action, on top of every entry it triggers. */
export const FULL_ACCESS: Pick<EscalationEntry, 'kinds' | 'reason' | 'sources'> = {
  kinds: ['escalation'],
  reason: 'grants every action of every service: administrator access for the whole window',
  sources: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html', HTC],
};
