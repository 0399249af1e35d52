import type { RunContext } from '../../emulators/github/oidc/claims.js';
import type { GrantWindow } from '../domain.js';

/**
 * The story the demo tells, fixed so that every run prints the same thing: the shipped example
 * request, by octocat, checked at a fixed time against the log bucket its profile covers.
 */
export const START = new Date('2026-11-25T09:00:00Z');
export const REQUEST_FILE = 'requests/example-profile.yaml';
export const TEMPLATE_FILE = 'deploy/jit-access.yaml';
export const REQUESTER = 'octocat';
export const LOG_OBJECT = 'arn:aws:s3:::acme-prod-logs/2026/11/24/export.log';
export const OTHER_OBJECT = 'arn:aws:s3:::acme-billing/invoices/2026-11.pdf';
export const REGION = 'us-east-1';
export const AUDIENCE = 'sts.amazonaws.com';

/** The OIDC identities of the two workflows the broker role trusts (see .github/workflows). */
export const GRANT_RUN: RunContext = {
  repository: 'acme/access',
  eventName: 'push',
  workflowPath: '.github/workflows/grant.yml',
  environment: 'jit-grant',
};
export const REVOKE_RUN: RunContext = {
  repository: 'acme/access',
  eventName: 'schedule',
  workflowPath: '.github/workflows/revoke.yml',
  environment: 'jit-grant',
};
export const GRANT_SESSION = 'jit-grant-demo';
export const REVOKE_SESSION = 'jit-revoke-demo';

/** Marks the CloudTrail records the demo makes up, so the trail can label them. */
export const SIMULATED = 'jit-demo-simulated-';

const MINUTE = 60_000;

/**
 * What octocat does with the grant, as CloudTrail would log it: the emulator has no S3, so these
 * S3 data events are made up. Three reads of the logs, and one write the grant does not cover.
 */
export function simulatedS3Activity(input: {
  window: GrantWindow;
  principalArn: string;
  accountId: string;
  region: string;
}): Record<string, unknown>[] {
  const userName = input.principalArn.slice(input.principalArn.lastIndexOf('/') + 1);
  const calls = [
    { after: 4, name: 'GetObject', key: '2026/11/24/export.log' },
    { after: 6, name: 'GetObject', key: '2026/11/24/export.log.1' },
    { after: 9, name: 'GetObject', key: '2026/11/24/access.log' },
    { after: 12, name: 'PutObject', key: '2026/11/24/notes.txt', denied: true },
  ];
  return calls.map((c, i) => {
    const objectArn = `arn:aws:s3:::acme-prod-logs/${c.key}`;
    return {
      eventVersion: '1.09',
      userIdentity: {
        type: 'IAMUser',
        arn: input.principalArn,
        accountId: input.accountId,
        userName,
      },
      eventTime: new Date(input.window.start.getTime() + c.after * MINUTE)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      eventSource: 's3.amazonaws.com',
      eventName: c.name,
      awsRegion: input.region,
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-cli/2.22.0',
      requestParameters: { bucketName: 'acme-prod-logs', key: c.key },
      responseElements: null,
      ...(c.denied ? { errorCode: 'AccessDenied', errorMessage: 'Access Denied' } : {}),
      eventID: `${SIMULATED}${i + 1}`,
      readOnly: c.name.startsWith('Get'),
      resources: [{ type: 'AWS::S3::Object', ARN: objectArn }],
      eventType: 'AwsApiCall',
      managementEvent: false,
      recipientAccountId: input.accountId,
      eventCategory: 'Data',
    };
  });
}
