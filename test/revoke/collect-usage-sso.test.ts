/**
 * The usage report of a grant made through IAM Identity Center: one permission set per request,
 * hence one `AWSReservedSSO_*` role, whose ARN is the grant's principal. Its sessions are found
 * whether the ARN is written as IAM names it (path and region segment), with the path alone, or
 * with no path, through Athena and through LookupEvents alike; the same user's sessions of
 * another permission set, and another user's, are not the grant's.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import type { Account } from '../../src/domain.js';
import { collectUsage } from '../../src/revoke/collect-usage.js';
import type { RevokeDecision } from '../../src/revoke/sweep.js';
import {
  ACCOUNT_A,
  JIT_A,
  JIT_ROLE_A,
  NOW,
  ssoRecords,
} from '../fixtures/cloudtrail-sso/dataset.js';

/** The grant's window: alice's three calls through the JIT role, and bob's one through ReadOnly. */
const START = '2026-03-29T09:00:00Z';
const EXPIRY = new Date('2026-03-29T12:00:00Z');

const plain: Account = {
  alias: 'prod',
  id: ACCOUNT_A,
  brokerRole: `arn:aws:iam::${ACCOUNT_A}:role/jit-access/jit-access-broker`,
  regions: ['eu-west-1'],
};
const withAthena: Account = {
  ...plain,
  cloudtrail: {
    athena: {
      database: 'default',
      table: 'cloudtrail_logs',
      region: 'eu-west-1',
      outputLocation: 's3://acme-athena-results/jit-access/',
    },
  },
};

const decision = (
  principal: string,
  account: Account,
): Extract<RevokeDecision, { kind: 'revoked' }> => ({
  kind: 'revoked',
  account,
  policy: {
    arn: `arn:aws:iam::${ACCOUNT_A}:policy/jit/jit-pr-7`,
    name: 'jit-pr-7',
    tags: { 'jit:principal': principal, 'jit:start': START },
    expiry: EXPIRY,
  },
  reason: 'expired',
  detached: [],
  document: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:GetLogEvents', 'logs:DescribeLogGroups', 'logs:FilterLogEvents'],
        Resource: '*',
      },
    ],
  },
});

let emu: AwsEmulator;
beforeAll(async () => {
  emu = await startAwsEmulator({ clock: new Clock(NOW), accountId: ACCOUNT_A });
  emu.state.cloudtrail.seed(ssoRecords());
});
afterAll(() => emu.close());
// LookupEvents allows 2 calls a second per region on the emulator's clock: each test a new second.
beforeEach(() => emu.clock.advance(1000));

const cloudtrail = async (region: string) =>
  new CloudTrailClient({ ...emu.clientConfig(), region, maxAttempts: 1 });
const athena = async (region: string) =>
  new AthenaClient({ ...emu.clientConfig(), region, maxAttempts: 1 });

describe.each([
  ['as IAM names it (path and region)', JIT_ROLE_A],
  [
    'with the path, without the region',
    `arn:aws:iam::${ACCOUNT_A}:role/aws-reserved/sso.amazonaws.com/${JIT_A}`,
  ],
  ['without the path', `arn:aws:iam::${ACCOUNT_A}:role/${JIT_A}`],
])('the permission set role %s', (_, principal) => {
  test.each([
    ['Athena', withAthena],
    ['LookupEvents', plain],
  ])('through %s: its sessions, no one else’s', async (source, account) => {
    const report = await collectUsage(decision(principal, account), cloudtrail, NOW, {
      athena,
      sleep: async () => {},
    });
    if (!report) throw new Error('no report');
    expect(report.source).toBe(source === 'Athena' ? 'athena' : 'lookup-events');
    // Alice's three calls through the JIT role; not bob's GetLogEvents through ReadOnly at
    // 10:04, inside the same window and account.
    expect(report.used).toEqual([
      { action: 'logs:GetLogEvents', calls: 2, failed: 0 },
      { action: 'logs:DescribeLogGroups', calls: 1, failed: 0 },
    ]);
    expect(report.events).toBe(3);
    expect(report.unused).toEqual(['logs:FilterLogEvents']);
    expect(report.principalArn).toBe(principal);
  });
});
