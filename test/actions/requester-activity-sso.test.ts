/**
 * The request check's CloudTrail report for an account granted through IAM Identity Center: the
 * requester acts there only as sessions of `AWSReservedSSO_*` roles named after their user, so
 * the report must read `sso-user:<user name>`, not the user name as if it were an ARN.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient, ListPoliciesCommand } from '@aws-sdk/client-iam';
import { readFile } from 'node:fs/promises';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import { permissionSetName, planPermissionSet } from '../../src/aws/permission-set.js';
import { applySsoGrant } from '../../src/aws/sso-grant.js';
import { planRequest } from '../../src/plan/plan.js';
import { requesterActivity } from '../../src/plan/requester-activity.js';
import { buildPolicy } from '../../src/policy/build.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { lookupEventsSource } from '../../src/runbook/sources/lookup-events.js';
import { identityStore, ssoAdmin } from '../emulators/aws/identity-center-world.js';

const PROD = '123456789012';
const USER = 'octocat@acme.example';
const NOW = new Date('2026-11-25T09:00:00Z');
const DAY = 86_400_000;

let emu: AwsEmulator;
beforeAll(async () => {
  // Yesterday octocat signed in with an earlier permission set and listed the policies.
  emu = await startAwsEmulator({ clock: new Clock(new Date(NOW.getTime() - DAY)) });
  emu.identityCenter.addUser({ userName: USER });
  const identityCenter = {
    instanceArn: emu.identityCenter.instanceArn,
    identityStoreId: emu.identityCenter.identityStoreId,
    region: 'us-east-1',
    brokerRole: `arn:aws:iam::${PROD}:role/jit-access/jit-access-sso-broker`,
    users: {},
  };
  const window = { start: emu.clock.now(), expiry: new Date(emu.clock.now().getTime() + 3600_000) };
  const policy = buildPolicy({
    requestId: 'octocat-earlier',
    requester: 'octocat',
    principalArn: USER,
    statements: [{ actions: ['iam:ListPolicies'], resources: ['*'] }],
    window,
    pr: 3,
  });
  if (!policy.ok) throw new Error('policy');
  const granted = await applySsoGrant(
    { ssoAdmin: ssoAdmin(emu, undefined, 3), identityStore: identityStore(emu, undefined, 3) },
    planPermissionSet({
      policy: policy.value,
      identityCenter,
      userName: USER,
      accountId: PROD,
      requestId: 'octocat-earlier',
      window,
      now: emu.clock.now(),
      pr: 3,
    }),
    { attempts: 6, firstDelayMs: 1, sleep: async () => {} },
  );
  if (!granted.ok) throw new Error(granted.reason);
  emu.clock.advance(5 * 60_000);
  const session = emu.identityCenter.openSession({
    userName: USER,
    accountId: PROD,
    permissionSet: permissionSetName('octocat-earlier', 3),
  });
  await new IAMClient(emu.clientConfig(session)).send(new ListPoliciesCommand({}));
  emu.clock.set(NOW);
});
afterAll(() => emu.close());

test('an identity-center account’s report shows the user’s Identity Center sessions', async () => {
  const parsed = parseConfig(
    await readFile('test/fixtures/config/identity-center.yaml', 'utf8'),
    'jit.config.yaml',
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const plan = planRequest({
    text: 'requester: octocat\naccount: prod\nprofile: readonly\nduration: 1h\nreason: Look at the instances\n',
    file: 'requests/octocat-prod.yaml',
    config: parsed.value,
    now: NOW,
  });
  if (!plan.ok) throw new Error(JSON.stringify(plan.problems));
  expect(plan.value.resolved.account.backend).toBe('identity-center');
  const file = 'runbooks/requester-context.yaml';
  const report = await requesterActivity({
    plan: plan.value,
    runbook: { text: await readFile(file, 'utf8'), file },
    source: lookupEventsSource({
      regions: plan.value.resolved.account.regions,
      client: (region) => new CloudTrailClient({ ...emu.clientConfig(), region, maxAttempts: 1 }),
      now: () => NOW,
    }),
    now: NOW,
  });
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  expect(report.value.markdown).toContain(`sso-user:${USER}`);
  expect(report.value.markdown).toContain('ListPolicies');
});
