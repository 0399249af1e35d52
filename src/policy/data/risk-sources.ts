/** Where the high-risk catalogue's facts come from. */

export const RHINO =
  'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/';
export const BISHOPFOX = 'https://github.com/BishopFox/iam-vulnerable';
export const HTC = 'https://hackingthe.cloud/aws/exploitation/iam_privilege_escalation/';
export const PASSROLE =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html';
export const VERSIONS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html';
export const BOUNDARIES =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html';
export const SWITCH_ROLE =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html';
export const TIME_CONDITIONS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws-dates.html';
export const SESSION_MANAGER =
  'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html';

/**
 * The pages of Datadog's pathfinding.cloud catalogue of AWS privilege-escalation paths (Seth Art
 * et al.), one per path id, e.g. `ec2-001`. test/policy/pathfinding-catalogue.ts lists the paths
 * transcribed and checks each one is caught.
 */
export const pathfinding = (...ids: string[]): string[] =>
  ids.map((id) => `https://pathfinding.cloud/paths/${id}`);
