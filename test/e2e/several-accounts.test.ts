/**
 * One request naming two accounts (decision 027), with the built actions against the GitHub and
 * AWS emulators: one approval covers both, each account is granted on its own, an account whose
 * broker cannot be assumed is delayed without holding the other back, a later run grants it
 * once, and `/revoke` ends both, each removal recorded on its own.
 */
import { installRole } from '../../src/demo/template.js';
import { role } from '../deploy/template.js';
import {
  ACCOUNT,
  CONFIG,
  GRANT,
  OCTOCAT_ARN,
  REPO,
  REVOKE,
  T0,
  prOpened,
  pushed,
  run,
  scheduled,
  world,
  type World,
} from './world.js';

const STAGING = '210987654321';
const STAGING_ARN = `arn:aws:iam::${STAGING}:user/people/octocat`;
const TWO_ACCOUNTS = CONFIG.replace(
  '    regions: [eu-west-1]\nprincipals:',
  `    regions: [eu-west-1]
  staging:
    id: "${STAGING}"
    brokerRole: arn:aws:iam::${STAGING}:role/jit-access/jit-access-broker
    runbookRole: arn:aws:iam::${STAGING}:role/jit-access/jit-access-runbook
    regions: [eu-west-1]
principals:`,
).replace(
  `octocat: { prod: ${OCTOCAT_ARN} }`,
  `octocat: { prod: ${OCTOCAT_ARN}, staging: ${STAGING_ARN} }`,
);

const request = (accounts: string) =>
  `requester: octocat\n${accounts}\nprofile: s3-logs-read\nduration: 2h\nreason: Compare the exports of both accounts for INC-4211.\n`;

let w: World;
let providerUrl: string;
beforeAll(async () => {
  if (TWO_ACCOUNTS === CONFIG) throw new Error('the world config changed: update TWO_ACCOUNTS');
  w = await world({ config: TWO_ACCOUNTS });
  w.aws.state.addAccount(STAGING);
  providerUrl = w.aws.state.addOidcProvider({
    accountId: STAGING,
    url: w.gh.oidc.issuer.issuer,
  }).url;
  w.aws.state.addUser({ accountId: STAGING, name: 'octocat', path: '/people/' });
  installRole(w.aws.state, role('RunbookRole', stagingParams()), providerUrl, STAGING);
});
afterAll(() => w.close());

/** Staging's broker, exactly as deploy/ creates it: absent until the "outage" is over. */
function installStagingBroker() {
  installRole(w.aws.state, role('BrokerRole', stagingParams()), providerUrl, STAGING);
}

function stagingParams() {
  return {
    GitHubOrg: 'acme',
    GitHubRepo: 'access',
    GitHubRepositoryId: String(w.gh.state.repo(REPO).id),
    PrincipalPathPrefix: '/people/',
    'AWS::AccountId': STAGING,
    'AWS::Partition': 'aws',
  };
}

/** A management event of octocat's in one account, as CloudTrail records it there. */
const callIn = (accountId: string, principalArn: string, eventName: string) => ({
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser',
    principalId: `AIDA${eventName}`,
    arn: principalArn,
    accountId,
    userName: 'octocat',
  },
  eventTime: new Date(T0.getTime() - 24 * 3600_000).toISOString(),
  eventSource: 'ec2.amazonaws.com',
  eventName,
  awsRegion: 'eu-west-1',
  sourceIPAddress: '203.0.113.7',
  userAgent: 'aws-cli/2.15.0',
  requestParameters: null,
  responseElements: null,
  eventID: `${accountId}-${eventName}`,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: accountId,
  eventCategory: 'Management',
});

const LOG_OBJECT = 'arn:aws:s3:::acme-prod-logs/2026/11/24/export.log';
const allowed = (principalArn: string) =>
  w.aws.authorize({ principalArn, action: 's3:GetObject', resource: LOG_OBJECT });
const commentsOn = (pr: number) => w.gh.state.comments.filter((c) => c.issueNumber === pr);
const logPaths = (pr: number) =>
  [...w.gh.state.resolveRef(REPO, 'jit-log').files.keys()].filter((p) => p.startsWith(`pr/${pr}/`));
/** The `/jit/` policies an account holds, as its administrator would list them. */
const policiesIn = (accountId: string) =>
  [...w.aws.state.policies.values()].filter((p) => p.accountId === accountId && p.path === '/jit/');

test('the request check shows one row and one CloudTrail report per account', async () => {
  w.aws.state.cloudtrail.seed({
    Records: [
      callIn(ACCOUNT, OCTOCAT_ARN, 'DescribeVpcs'),
      callIn(STAGING, STAGING_ARN, 'DescribeSubnets'),
    ],
  });
  w.aws.clock.runFrom(T0);
  const pr = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-both.yaml': request('accounts: [prod, staging]') },
  });
  const checked = await run(w, 'request', prOpened(w, pr.number), {
    workflowPath: '.github/workflows/request.yml',
  });
  expect(checked.outputs.valid).toBe('true');
  const body = commentsOn(pr.number)[0]!.body;
  expect(body).toContain('**Accounts:** 2, each granted and revoked on its own');
  expect(body).toMatch(
    /\| `prod` \(`123456789012`\) \| `arn:aws:iam::123456789012:user\/people\/octocat` \| grantable \|/,
  );
  expect(body).toMatch(
    /\| `staging` \(`210987654321`\) \| `arn:aws:iam::210987654321:user\/people\/octocat` \| grantable \|/,
  );
  // Each account's report reads that account's CloudTrail as its principal there.
  expect(body).toContain("**Requester's CloudTrail in `prod`:**");
  expect(body).toContain("**Requester's CloudTrail in `staging`:**");
  const prodReport = body.slice(body.indexOf('Full CloudTrail report in `prod`'));
  const stagingReport = prodReport.slice(prodReport.indexOf('Full CloudTrail report in `staging`'));
  const prodOnly = prodReport.slice(0, prodReport.length - stagingReport.length);
  expect(prodOnly).toContain('DescribeVpcs');
  expect(prodOnly).not.toContain('DescribeSubnets');
  expect(stagingReport).toContain('DescribeSubnets');
  expect(stagingReport).not.toContain('DescribeVpcs');
});

test('a bad list is refused on its line', async () => {
  const pr = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-twice.yaml': request('accounts:\n  - prod\n  - prod') },
  });
  const checked = await run(w, 'request', prOpened(w, pr.number));
  expect(checked.outputs.valid).toBe('false');
  expect(checked.stdout).toContain('file=requests/octocat-twice.yaml,line=4');
  expect(commentsOn(pr.number)[0]!.body).toContain('account prod is named twice');
});

test('one account whose broker is down is delayed; the other is granted; both end on /revoke', async () => {
  const pr = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-exports.yaml': request('accounts: [prod, staging]') },
  });
  w.gh.state.review(REPO, pr.number, { user: 'sre-bob', state: 'APPROVED' });
  w.aws.clock.advance(60_000);
  w.gh.state.merge(REPO, pr.number, { by: 'sre-bob' });
  w.aws.clock.advance(30_000);

  // Staging's broker cannot be assumed: prod is granted all the same.
  const first = await run(w, 'grant', pushed(), GRANT);
  expect(first.code).not.toBe(0);
  expect(JSON.parse(first.outputs.granted ?? '[]')).toEqual([
    expect.objectContaining({ request: 'octocat-exports', principal: OCTOCAT_ARN }),
  ]);
  expect(JSON.parse(first.outputs.delayed ?? '[]')).toEqual([
    expect.objectContaining({ request: 'octocat-exports', code: 'AWS_ERROR' }),
  ]);
  expect(JSON.parse(first.outputs.refused ?? '[]')).toEqual([]);
  expect(allowed(OCTOCAT_ARN)).toBe('allowed');
  expect(allowed(STAGING_ARN)).toBe('denied');
  expect(logPaths(pr.number)).toEqual([`pr/${pr.number}/0001-granted.prod.of2.json`]);
  const bodies = commentsOn(pr.number).map((c) => c.body);
  expect(bodies.some((b) => b.includes('granted `octocat-exports` in `prod`'))).toBe(true);
  expect(bodies.some((b) => b.includes('grant delayed `octocat-exports` in `staging`'))).toBe(true);

  // The outage is over: the next run grants staging, and only staging.
  installStagingBroker();
  const second = await run(w, 'grant', pushed(), GRANT);
  expect(second.code).toBe(0);
  expect(JSON.parse(second.outputs.granted ?? '[]')).toEqual([
    expect.objectContaining({ request: 'octocat-exports', principal: STAGING_ARN }),
  ]);
  expect(allowed(STAGING_ARN)).toBe('allowed');
  expect(policiesIn(ACCOUNT)).toHaveLength(1);
  expect(policiesIn(STAGING)).toHaveLength(1);
  // The delayed comment became the granted one: one comment per account, updated in place.
  const staging = commentsOn(pr.number).filter((c) => c.body.includes('in `staging`'));
  expect(staging).toHaveLength(1);
  expect(staging[0]!.body).toContain('granted `octocat-exports` in `staging`');

  // Both accounts decided: the PR is final, a third run does nothing.
  const third = await run(w, 'grant', pushed(), GRANT);
  expect(third.code).toBe(0);
  expect(JSON.parse(third.outputs.granted ?? '[]')).toEqual([]);
  expect(logPaths(pr.number)).toHaveLength(2);

  // Its accounts are granted one by one: an extension of it is refused, nothing is removed.
  const extension = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: {
      'requests/octocat-more.yaml': `${request('account: prod')}extends: octocat-exports\n`,
    },
  });
  w.gh.state.review(REPO, extension.number, { user: 'sre-bob', state: 'APPROVED' });
  w.gh.state.merge(REPO, extension.number, { by: 'sre-bob' });
  const extended = await run(w, 'grant', pushed(), GRANT);
  expect(JSON.parse(extended.outputs.refused ?? '[]')).toEqual([
    expect.objectContaining({ pr: extension.number, codes: ['EXTENDS_SEVERAL_ACCOUNTS'] }),
  ]);
  expect(policiesIn(ACCOUNT)).toHaveLength(1);

  // One /revoke ends both, each removal recorded for its own account.
  w.aws.clock.advance(5 * 60_000);
  w.gh.state.comment(REPO, pr.number, { user: 'octocat', body: '/revoke' });
  const revoked = await run(w, 'revoke', scheduled(w), REVOKE);
  expect(revoked.code).toBe(0);
  expect(JSON.parse(revoked.outputs.revoked ?? '[]')).toHaveLength(2);
  expect(allowed(OCTOCAT_ARN)).toBe('denied');
  expect(allowed(STAGING_ARN)).toBe('denied');
  expect(policiesIn(ACCOUNT)).toHaveLength(0);
  expect(policiesIn(STAGING)).toHaveLength(0);
  expect(
    logPaths(pr.number)
      .map((p) => p.replace(/\/\d{4}-/, '/N-'))
      .sort(),
  ).toEqual([
    `pr/${pr.number}/N-granted.prod.of2.json`,
    `pr/${pr.number}/N-granted.staging.of2.json`,
    `pr/${pr.number}/N-removed.prod.of2.json`,
    `pr/${pr.number}/N-removed.staging.of2.json`,
    expect.stringMatching(new RegExp(`^pr/${pr.number}/N-revoked-c\\d+\\.json$`)),
  ]);
  // Nothing is live any more: a later sweep removes nothing and a grant run grants nothing.
  const again = await run(w, 'revoke', scheduled(w), REVOKE);
  expect(JSON.parse(again.outputs.revoked ?? '[]')).toEqual([]);
  const after = await run(w, 'grant', pushed(), GRANT);
  expect(JSON.parse(after.outputs.granted ?? '[]')).toEqual([]);
});
