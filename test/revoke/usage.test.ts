import { usageReport, actionOf } from '../../src/revoke/usage.js';
import type { CloudTrailRecord } from '../../src/runbook/event.js';
import type { PolicyStatement } from '../../src/policy/build.js';

const window = {
  start: new Date('2026-11-25T09:00:00Z'),
  expiry: new Date('2026-11-25T11:00:00Z'),
};
const principalArn = 'arn:aws:iam::123456789012:user/people/octocat';
const statements: PolicyStatement[] = [
  {
    Sid: 'Jit0',
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
    Resource: ['arn:aws:s3:::acme-prod-logs', 'arn:aws:s3:::acme-prod-logs/*'],
    Condition: {},
  },
  { Sid: 'Jit1', Effect: 'Allow', Action: ['cloudwatch:Get*'], Resource: ['*'], Condition: {} },
];

const event = (
  eventSource: string,
  eventName: string,
  eventTime: string,
  errorCode?: string,
): CloudTrailRecord => ({
  eventSource,
  eventName,
  eventTime,
  awsRegion: 'eu-west-1',
  userIdentity: { type: 'IAMUser', arn: principalArn },
  ...(errorCode ? { errorCode } : {}),
});

test('counts what was used, what was denied and what was granted for nothing', () => {
  const report = usageReport({
    window,
    principalArn,
    source: 'athena',
    statements,
    records: [
      event('s3.amazonaws.com', 'GetObject', '2026-11-25T09:10:00Z'),
      event('s3.amazonaws.com', 'GetObject', '2026-11-25T09:11:00Z'),
      event('s3.amazonaws.com', 'ListBucket', '2026-11-25T09:12:00Z', 'NoSuchBucket'),
      event('monitoring.amazonaws.com', 'GetMetricData', '2026-11-25T09:13:00Z'),
      event('s3.amazonaws.com', 'DeleteObject', '2026-11-25T09:14:00Z', 'AccessDenied'),
      event('s3.amazonaws.com', 'GetObject', '2026-11-25T08:59:59Z'),
      event('s3.amazonaws.com', 'GetObject', '2026-11-25T11:00:01Z'),
    ],
  });
  expect(report.events).toBe(5);
  expect(report.source).toBe('athena');
  expect(report.used).toEqual([
    { action: 's3:GetObject', calls: 2, failed: 0 },
    { action: 'cloudwatch:GetMetricData', calls: 1, failed: 0 },
    { action: 's3:ListBucket', calls: 1, failed: 1 },
  ]);
  expect(report.denied).toEqual([
    { action: 's3:DeleteObject', calls: 1, errorCode: 'AccessDenied' },
  ]);
  expect(report.unused).toEqual(['s3:PutObject']);
  expect(report.suggested).toEqual([
    { actions: ['s3:GetObject', 's3:ListBucket'], resources: statements[0]!.Resource },
    { actions: ['cloudwatch:GetMetricData'], resources: ['*'] },
  ]);
});

test('a grant never used suggests nothing', () => {
  const report = usageReport({
    window,
    principalArn,
    source: 'lookup-events',
    statements,
    records: [],
  });
  expect(report.source).toBe('lookup-events');
  expect(report.used).toEqual([]);
  expect(report.suggested).toEqual([]);
  expect(report.unused).toHaveLength(4);
});

test('event sources map to IAM prefixes where they differ', () => {
  expect(actionOf(event('monitoring.amazonaws.com', 'PutMetricData', 'x'))).toBe(
    'cloudwatch:PutMetricData',
  );
  expect(actionOf(event('sts.amazonaws.com', 'GetCallerIdentity', 'x'))).toBe(
    'sts:GetCallerIdentity',
  );
});

test('S3 event names that differ from their IAM action map to the action', () => {
  expect(actionOf(event('s3.amazonaws.com', 'ListObjectsV2', 'x'))).toBe('s3:ListBucket');
  expect(actionOf(event('s3.amazonaws.com', 'HeadObject', 'x'))).toBe('s3:GetObject');
});
