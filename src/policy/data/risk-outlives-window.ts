/**
 * Actions whose effect outlives the grant window. A grant stops at expiry because every statement
 * carries an `aws:CurrentTime` condition; these leave behind a credential, an identity, a
 * resource policy, a session or a schedule that keeps working without that policy. The IAM and
 * run-with-a-role entries that also outlive the window live in escalation.ts and
 * risk-service-paths.ts.
 */
import type { EscalationEntry } from '../escalation.js';

const doc = (path: string): string => `https://docs.aws.amazon.com/${path}`;

function outlives(action: string, reason: string, source: string): EscalationEntry {
  return { actions: [action], kinds: ['outlives-window'], reason, sources: [source] };
}

const RESOURCE_POLICY = (what: string): string =>
  `${what}; it stays in force after the grant, e.g. letting another account in`;

export const OUTLIVES_WINDOW: readonly EscalationEntry[] = [
  // Credentials and identities.
  outlives(
    'iam:CreateServiceSpecificCredential',
    'mints a CodeCommit, Keyspaces or Bedrock password for a user; it keeps working after the grant',
    doc('IAM/latest/UserGuide/id_credentials_service-specific-creds.html'),
  ),
  outlives(
    'iam:ResetServiceSpecificCredential',
    "resets a user's service-specific password to one the requester learns",
    doc('IAM/latest/UserGuide/id_credentials_service-specific-creds.html'),
  ),
  outlives(
    'iam:UploadSSHPublicKey',
    'registers an SSH key on a user for CodeCommit; the key keeps working after the grant',
    doc('IAM/latest/UserGuide/id_credentials_ssh-keys.html'),
  ),
  outlives(
    'iam:UploadSigningCertificate',
    'registers an X.509 signing certificate on a user, a credential that outlives the grant',
    doc('IAM/latest/UserGuide/id_credentials_server-certs.html'),
  ),
  outlives(
    'iam:EnableMFADevice',
    'binds an MFA device the requester holds to a user, a second factor they keep',
    doc('IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html'),
  ),
  outlives(
    'iam:CreateUser',
    'creates an IAM user: an identity that stays after the grant and can be given keys',
    doc('IAM/latest/UserGuide/id_users_create.html'),
  ),
  outlives(
    'iam:CreateRole',
    'creates a role with a trust policy of the requester’s choosing; it stays after the grant',
    doc('IAM/latest/UserGuide/id_roles_create.html'),
  ),
  ...['iam:CreateOpenIDConnectProvider', 'iam:CreateSAMLProvider', 'iam:UpdateSAMLProvider'].map(
    (action) =>
      outlives(
        action,
        'adds or changes an identity provider, so an outside identity system can sign in to roles after the grant',
        doc('IAM/latest/UserGuide/id_roles_providers.html'),
      ),
  ),
  outlives(
    'sts:GetFederationToken',
    'mints federated sessions lasting up to 36 hours that cannot be revoked one by one',
    doc('STS/latest/APIReference/API_GetFederationToken.html'),
  ),
  // Resource policies and sharing.
  ...['s3:PutBucketPolicy', 's3:PutBucketAcl', 's3:PutObjectAcl', 's3:PutAccessPointPolicy'].map(
    (action) =>
      outlives(
        action,
        RESOURCE_POLICY('rewrites who may use an S3 bucket or object'),
        doc('AmazonS3/latest/userguide/access-policy-language-overview.html'),
      ),
  ),
  ...['s3:PutBucketPublicAccessBlock', 's3:PutAccountPublicAccessBlock'].map((action) =>
    outlives(
      action,
      'turns off S3 Block Public Access, so buckets can be made public and stay so',
      doc('AmazonS3/latest/userguide/access-control-block-public-access.html'),
    ),
  ),
  ...['lambda:AddPermission', 'lambda:AddLayerVersionPermission'].map((action) =>
    outlives(
      action,
      RESOURCE_POLICY('lets another account or service invoke a Lambda function or use a layer'),
      doc('lambda/latest/dg/access-control-resource-based.html'),
    ),
  ),
  ...['lambda:CreateFunctionUrlConfig', 'lambda:UpdateFunctionUrlConfig'].map((action) =>
    outlives(
      action,
      'gives a Lambda function a public URL that can be left open to anyone (auth type NONE)',
      doc('lambda/latest/dg/urls-auth.html'),
    ),
  ),
  outlives(
    'kms:CreateGrant',
    'grants another principal use of a KMS key until the grant is retired, regardless of the window',
    doc('kms/latest/developerguide/grants.html'),
  ),
  outlives(
    'kms:PutKeyPolicy',
    RESOURCE_POLICY('rewrites who may use or administer a KMS key'),
    doc('kms/latest/developerguide/key-policies.html'),
  ),
  ...['sqs:AddPermission', 'sqs:SetQueueAttributes'].map((action) =>
    outlives(
      action,
      RESOURCE_POLICY('changes an SQS queue policy'),
      doc('AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-using-identity-based-policies.html'),
    ),
  ),
  ...['sns:AddPermission', 'sns:SetTopicAttributes'].map((action) =>
    outlives(
      action,
      RESOURCE_POLICY('changes an SNS topic policy'),
      doc('sns/latest/dg/sns-access-policy-use-cases.html'),
    ),
  ),
  outlives(
    'secretsmanager:PutResourcePolicy',
    RESOURCE_POLICY('attaches a resource policy to a secret'),
    doc('secretsmanager/latest/userguide/auth-and-access_resource-policies.html'),
  ),
  ...['ecr:SetRepositoryPolicy', 'ecr-public:SetRepositoryPolicy'].map((action) =>
    outlives(
      action,
      RESOURCE_POLICY('changes who may pull or push images in an ECR repository'),
      doc('AmazonECR/latest/userguide/repository-policies.html'),
    ),
  ),
  outlives(
    'elasticfilesystem:PutFileSystemPolicy',
    RESOURCE_POLICY('changes an EFS file system policy'),
    doc('efs/latest/ug/iam-access-control-nfs-efs.html'),
  ),
  outlives(
    'logs:PutResourcePolicy',
    RESOURCE_POLICY('lets another service or account write to CloudWatch Logs'),
    doc('AmazonCloudWatchLogs/latest/APIReference/API_PutResourcePolicy.html'),
  ),
  outlives(
    'events:PutPermission',
    RESOURCE_POLICY('lets another account put events on an EventBridge bus'),
    doc('eventbridge/latest/userguide/eb-event-bus-perms.html'),
  ),
  outlives(
    'glue:PutResourcePolicy',
    RESOURCE_POLICY('changes the Glue Data Catalog resource policy'),
    doc('glue/latest/dg/glue-resource-policies.html'),
  ),
  outlives(
    'backup:PutBackupVaultAccessPolicy',
    RESOURCE_POLICY('changes who may use or delete recovery points in a Backup vault'),
    doc('aws-backup/latest/devguide/create-a-vault-access-policy.html'),
  ),
  outlives(
    'ram:CreateResourceShare',
    'shares resources with other accounts or the organization until the share is removed',
    doc('ram/latest/userguide/working-with-sharing-create.html'),
  ),
  ...[
    'ec2:ModifySnapshotAttribute',
    'ec2:ModifyImageAttribute',
    'rds:ModifyDBSnapshotAttribute',
    'rds:ModifyDBClusterSnapshotAttribute',
  ].map((action) =>
    outlives(
      action,
      'shares a snapshot or machine image with other accounts (or everyone); copies made from it stay theirs',
      doc('AWSEC2/latest/UserGuide/ebs-modifying-snapshot-permissions.html'),
    ),
  ),
  // Sessions that stay open and access to machines.
  outlives(
    'ec2-instance-connect:SendSerialConsoleSSHPublicKey',
    "opens the instance's serial console; the session and anything changed on the instance outlive the grant",
    doc('AWSEC2/latest/UserGuide/connect-to-serial-console.html'),
  ),
  outlives(
    'ssm:CreateAssociation',
    'schedules a Systems Manager document to run on instances, again and again after the grant',
    doc('systems-manager/latest/userguide/state-manager-associations.html'),
  ),
  // Schedules and triggers that run later.
  ...['events:PutRule', 'events:PutTargets'].map((action) =>
    outlives(
      action,
      'sets up an EventBridge rule or target that keeps triggering code on a schedule or event after the grant',
      doc('eventbridge/latest/userguide/eb-rules.html'),
    ),
  ),
  ...['scheduler:CreateSchedule', 'scheduler:UpdateSchedule'].map((action) =>
    outlives(
      action,
      'creates an EventBridge Scheduler schedule that keeps invoking targets with its role after the grant',
      doc('scheduler/latest/UserGuide/managing-schedule.html'),
    ),
  ),
  outlives(
    'lambda:CreateEventSourceMapping',
    'wires a queue or stream to a Lambda function so it keeps being invoked after the grant',
    doc('lambda/latest/dg/invocation-eventsourcemapping.html'),
  ),
];
