/**
 * Actions jit-access never grants, whatever the config says: each one would undo a guarantee the
 * product makes rather than merely being risky (the risk catalogue handles those with approvals).
 * A config's denyActions adds to this list and cannot remove from it. Why each is here, with
 * the AWS pages: docs/decisions/016-cli-manners-and-config-defaults.md.
 */
export const BASELINE_DENY: readonly { action: string; why: string }[] = [
  // The grant ends at expiry: a long-term credential created during it would outlive it.
  { action: 'iam:CreateAccessKey', why: 'long-term access keys outlive the grant' },
  { action: 'iam:CreateLoginProfile', why: 'a console password outlives the grant' },
  { action: 'iam:UpdateLoginProfile', why: 'a console password outlives the grant' },
  { action: 'iam:CreateServiceSpecificCredential', why: 'service credentials outlive the grant' },
  { action: 'iam:ResetServiceSpecificCredential', why: 'service credentials outlive the grant' },
  { action: 'iam:UploadSSHPublicKey', why: 'an SSH key for CodeCommit outlives the grant' },
  { action: 'iam:UploadSigningCertificate', why: 'a signing certificate outlives the grant' },
  // Every grant is reviewed afterwards from CloudTrail: the trail must keep recording.
  { action: 'cloudtrail:StopLogging', why: 'the usage report reads the trail it stops' },
  { action: 'cloudtrail:DeleteTrail', why: 'the usage report reads the trail it deletes' },
  { action: 'cloudtrail:UpdateTrail', why: 'it can send the trail somewhere else' },
  { action: 'cloudtrail:PutEventSelectors', why: 'it can stop the trail recording events' },
  // Sign-in protections of people stay as they are.
  { action: 'iam:DeactivateMFADevice', why: "it removes a person's MFA" },
  { action: 'iam:DeleteVirtualMFADevice', why: "it removes a person's MFA" },
  // The organisation's guardrails (SCPs) bound every grant; the account itself stays.
  { action: 'organizations:LeaveOrganization', why: "it escapes the organisation's SCPs" },
  { action: 'account:CloseAccount', why: 'it closes the account' },
];
