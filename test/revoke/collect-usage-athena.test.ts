/**
 * The usage report of an account with `cloudtrail.athena`: read through Athena (the emulator's,
 * on DuckDB, over its CloudTrail), as the broker role from deploy/ with the template's Athena
 * policy, after a real sweep. (The emulator authenticates Athena calls but does not authorise
 * them: what that policy allows is checked in test/deploy/broker-permissions.test.ts.) S3 object
 * reads seeded into the trail count as used; the query is
 * bounded by the grant's window and principal; LookupEvents is not called. The same grant read
 * without the block goes through LookupEvents, and the report and comment say so.
 */
import { readFileSync } from 'node:fs';
import type { AthenaClient, StartQueryExecutionCommandInput } from '@aws-sdk/client-athena';
import { IAMClient } from '@aws-sdk/client-iam';
import { load } from 'js-yaml';
import { Clock } from '../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/server.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.js';
import { accountClients, type AccountClients } from '../../src/aws/clients.js';
import { applyGrant } from '../../src/aws/iam-grant.js';
import { installRole } from '../../src/demo/template.js';
import type { Account, JitConfig } from '../../src/domain.js';
import { buildPolicy } from '../../src/policy/build.js';
import { renderRevokeComment } from '../../src/report/revoke-comment.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { collectUsage } from '../../src/revoke/collect-usage.js';
import { sweepGrants, type RevokeDecision } from '../../src/revoke/sweep.js';
import { PARAMS, resolve, role } from '../deploy/template.js';

const REPO = 'acme/access';
const ACCOUNT = '123456789012';
const T0 = new Date('2026-11-25T09:00:00Z');
const START = new Date(T0.getTime() + 60_000);
const EXPIRY = new Date(START.getTime() + 2 * 3600_000);
const NOW = new Date(EXPIRY.getTime() + 10 * 60_000);
const OCTOCAT = `arn:aws:iam::${ACCOUNT}:user/people/octocat`;
const MALLORY = `arn:aws:iam::${ACCOUNT}:user/people/mallory`;
const LOGS = 'arn:aws:s3:::acme-prod-logs';

const config = (athena: boolean): JitConfig => {
  const text = `version: 1
defaults: { maxDuration: 8h, approvals: 1, runbook: runbooks/requester-context.yaml }
accounts:
  prod:
    id: "${ACCOUNT}"
    brokerRole: arn:aws:iam::${ACCOUNT}:role/jit-access/jit-access-broker
    regions: [eu-west-1]
${
  athena
    ? `    cloudtrail:
      athena:
        database: default
        table: cloudtrail_logs
        region: eu-west-1
        workgroup: primary
        outputLocation: s3://acme-athena-results/jit-access/
`
    : ''
}principals:
  octocat: { prod: ${OCTOCAT} }
profiles: {}
custom: { allowed: true, approvals: 1, approvers: [], maxDuration: 4h }
denyActions: []
highRisk: { policy: deny }
ticket: { required: false }
`;
  const parsed = parseConfig(text, 'jit.config.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value;
};

/** A CloudTrail record as the trail delivers it. */
const s3Call = (
  arn: string,
  eventName: string,
  at: Date,
  region = 'eu-west-1',
  errorCode?: string,
) => ({
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLE',
    arn,
    accountId: ACCOUNT,
    userName: arn.slice(arn.lastIndexOf('/') + 1),
  },
  eventTime: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  eventSource: 's3.amazonaws.com',
  eventName,
  awsRegion: region,
  sourceIPAddress: '198.51.100.7',
  userAgent: 'aws-cli/2.15.0',
  ...(errorCode ? { errorCode, errorMessage: 'Access Denied' } : {}),
  requestParameters: { bucketName: 'acme-prod-logs', key: '2026/11/24/export.log' },
  responseElements: null,
  eventID: `${eventName}-${at.getTime()}-${region}-${arn.length}`,
  readOnly: eventName !== 'PutObject',
  resources: [{ type: 'AWS::S3::Object', ARN: `${LOGS}/2026/11/24/export.log` }],
  eventType: 'AwsApiCall',
  managementEvent: false,
  recipientAccountId: ACCOUNT,
  eventCategory: 'Data',
});
const minutes = (m: number) => new Date(START.getTime() + m * 60_000);

let aws: AwsEmulator;
let gh: GitHubEmulator;
let clients: AccountClients;
let decision: Extract<RevokeDecision, { kind: 'revoked' }>;

beforeAll(async () => {
  aws = await startAwsEmulator({ clock: new Clock(T0) });
  gh = await startGitHubEmulator({ clock: () => aws.clock.now() });
  const repo = gh.state.addRepo(REPO, { files: { 'jit.config.yaml': 'version: 1\n' } });
  const provider = aws.state.addOidcProvider({ url: gh.oidc.issuer.issuer });
  // The broker role of deploy/, with the Athena policy the template adds for these parameters.
  const params = { ...PARAMS, GitHubRepositoryId: String(repo.id) };
  const broker = role('BrokerRole', params);
  const template = load(readFileSync('deploy/jit-access.yaml', 'utf8')) as {
    Resources: Record<string, { Properties: { PolicyName: string; PolicyDocument: unknown } }>;
  };
  const athenaPolicy = template.Resources.BrokerAthenaPolicy!.Properties;
  broker.Properties.Policies.push({
    PolicyName: athenaPolicy.PolicyName,
    PolicyDocument: resolve(athenaPolicy.PolicyDocument, {
      ...params,
      CloudTrailAthenaRegion: 'eu-west-1',
      CloudTrailAthenaWorkGroup: 'primary',
      CloudTrailAthenaDatabase: 'default',
      CloudTrailAthenaTable: 'cloudtrail_logs',
      CloudTrailBucket: 'acme-org-trail',
      AthenaResultsLocation: 'acme-athena-results/jit-access',
    }) as Record<string, unknown>,
  });
  installRole(aws.state, broker, provider.url);
  aws.state.addUser({ name: 'octocat', path: '/people/' });
  aws.state.addUser({ name: 'mallory', path: '/people/' });

  // The grant, as the grant action makes it: a tagged /jit/ policy attached to octocat.
  const built = buildPolicy({
    requestId: 'octocat-logs',
    requester: 'octocat',
    principalArn: OCTOCAT,
    statements: [{ actions: ['s3:GetObject', 's3:ListBucket'], resources: [LOGS, `${LOGS}/*`] }],
    window: { start: START, expiry: EXPIRY },
    pr: 7,
  });
  if (!built.ok) throw new Error(JSON.stringify(built.problems));
  const applied = await applyGrant(new IAMClient(aws.clientConfig()), {
    accountId: ACCOUNT,
    principalArn: OCTOCAT,
    name: built.value.name,
    path: built.value.path,
    description: built.value.description,
    document: built.value.json,
    tags: built.value.tags,
  });
  expect(applied.ok).toBe(true);

  // What the trail holds: octocat's S3 object reads in the window (one in a region the config
  // does not list), a list and a refused write, plus calls outside the window and by someone else.
  aws.state.cloudtrail.seed([
    s3Call(OCTOCAT, 'GetObject', minutes(10)),
    s3Call(OCTOCAT, 'GetObject', minutes(20)),
    s3Call(OCTOCAT, 'GetObject', minutes(30), 'ap-southeast-2'),
    s3Call(OCTOCAT, 'ListObjects', minutes(40)),
    s3Call(OCTOCAT, 'PutObject', minutes(50), 'eu-west-1', 'AccessDenied'),
    s3Call(OCTOCAT, 'GetObject', minutes(-5)),
    s3Call(OCTOCAT, 'GetObject', minutes(125)),
    s3Call(MALLORY, 'GetObject', minutes(15)),
  ]);

  // Past expiry the revoke workflow sweeps, as the broker role through OIDC.
  aws.clock.set(NOW);
  clients = accountClients({
    getIdToken: () =>
      gh.oidc.mint(
        {
          repository: REPO,
          eventName: 'schedule',
          workflowPath: '.github/workflows/revoke.yml',
          environment: 'jit-grant',
        },
        'sts.amazonaws.com',
      ),
    region: 'us-east-1',
    sessionName: 'jit-revoke-1',
    endpoint: aws.url,
    now: () => aws.clock.now().getTime(),
  });
  const decisions = await sweepGrants({
    config: config(true),
    now: NOW,
    iamFor: (account) => clients.iam(account),
  });
  expect(decisions.map((d) => d.kind)).toEqual(['revoked']);
  decision = decisions[0] as Extract<RevokeDecision, { kind: 'revoked' }>;
});
afterAll(async () => {
  await gh.close();
  await aws.close();
});

const calls = (name: string) =>
  aws.state.cloudtrail.events.filter(
    (e) => e.eventName === name && e.record.errorCode === undefined,
  ).length;

/** The broker's Athena client, with what each StartQueryExecution asked for kept. */
async function recordingAthena(region: string, started: StartQueryExecutionCommandInput[]) {
  const client: AthenaClient = await clients.athena(decision.account, region);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'StartQueryExecutionCommand')
        started.push(args.input as StartQueryExecutionCommandInput);
      return next(args);
    },
    { step: 'initialize', name: 'recordStartQueryExecution' },
  );
  return client;
}

test('with cloudtrail.athena the report reads the trail through Athena: S3 object reads count', async () => {
  expect(decision.account.cloudtrail?.athena.table).toBe('cloudtrail_logs');
  const started: StartQueryExecutionCommandInput[] = [];
  const regions: string[] = [];
  const lookupsBefore = calls('LookupEvents');
  const report = await collectUsage(
    decision,
    () => Promise.reject(new Error('LookupEvents must not be read for an Athena account')),
    NOW,
    {
      athena: (region) => {
        regions.push(region);
        return recordingAthena(region, started);
      },
      sleep: async () => {},
    },
  );
  if (!report) throw new Error('no report');

  expect(report.source).toBe('athena');
  expect(report.used).toEqual([
    // Three in the window, one of them in a region the config does not list; not the one
    // before the window, the one after expiry, nor mallory's.
    { action: 's3:GetObject', calls: 3, failed: 0 },
    { action: 's3:ListBucket', calls: 1, failed: 0 },
  ]);
  expect(report.denied).toEqual([{ action: 's3:PutObject', calls: 1, errorCode: 'AccessDenied' }]);
  expect(report.events).toBe(5);
  expect(report.unused).toEqual([]);

  // One query, in the configured region, workgroup and results location, bounded by the grant's
  // window (start to expiry, the sweep being later) and octocat's ARN: values, never SQL text.
  expect(regions).toEqual(['eu-west-1']);
  expect(started).toHaveLength(1);
  const [query] = started;
  expect(query!.WorkGroup).toBe('primary');
  expect(query!.ResultConfiguration?.OutputLocation).toBe('s3://acme-athena-results/jit-access/');
  expect(query!.QueryString).toContain('FROM "default"."cloudtrail_logs"');
  expect(query!.QueryString).not.toContain('octocat');
  expect(query!.ExecutionParameters).toEqual(
    expect.arrayContaining([
      `'${START.toISOString()}'`,
      `'${EXPIRY.toISOString()}'`,
      `'${OCTOCAT}'`,
    ]),
  );
  expect(query!.ExecutionParameters).not.toContain(`'${NOW.toISOString()}'`);
  expect(calls('LookupEvents')).toBe(lookupsBefore);

  const comment = renderRevokeComment(decision, report);
  expect(comment).toContain('| `s3:GetObject` | 3 | 0 |');
  expect(comment).toContain('through Athena (data events such as S3 object reads included)');
  expect(comment).not.toContain('not in LookupEvents');
});

test('an account with cloudtrail.athena but no Athena client given is an error, not a quiet fallback', async () => {
  await expect(
    collectUsage(decision, (r) => clients.cloudtrail(decision.account, r), NOW),
  ).rejects.toThrow('reads CloudTrail through Athena');
});

test('without the block the report reads LookupEvents, and says what that misses', async () => {
  const plain: Account = config(false).accounts.prod!;
  expect(plain.cloudtrail).toBeUndefined();
  const lookupsBefore = calls('LookupEvents');
  const startsBefore = calls('StartQueryExecution');
  const report = await collectUsage(
    { ...decision, account: plain },
    (r) => clients.cloudtrail(plain, r),
    NOW,
    { athena: () => Promise.reject(new Error('Athena must not be queried without the block')) },
  );
  if (!report) throw new Error('no report');

  expect(report.source).toBe('lookup-events');
  // LookupEvents returns management events only: octocat's S3 object reads and his refused
  // write are data events, in the trail (Athena, above) and never in LookupEvents.
  expect(report.used).toEqual([]);
  expect(report.denied).toEqual([]);
  expect(report.unused).toEqual(['s3:GetObject', 's3:ListBucket']);
  expect(calls('LookupEvents')).toBeGreaterThan(lookupsBefore);
  expect(calls('StartQueryExecution')).toBe(startsBefore);

  const comment = renderRevokeComment({ ...decision, account: plain }, report);
  expect(comment).toContain(
    'Source: CloudTrail `LookupEvents`, management events only: data events such as S3 object reads are not in LookupEvents; configure `cloudtrail.athena` for them.',
  );
  // Not seen is not unused: the comment does not tell the requester the access was unneeded.
  expect(comment).toContain(
    '**Granted and not seen in LookupEvents:** `s3:GetObject`, `s3:ListBucket`',
  );
  expect(comment).toContain(
    'Nothing granted was seen in LookupEvents, which cannot see data events: this does not show the access went unused.',
  );
  expect(comment).not.toContain('never used');
  expect(comment).not.toContain('may not need this access');
  expect(comment).not.toContain('through Athena');
});
