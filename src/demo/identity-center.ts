import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Role } from '../../emulators/aws/state.js';
import type { PollOptions } from '../aws/sso-status.js';
import type { JitConfig } from '../domain.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import { reconcileGrants, type GrantDecision } from '../grant/reconcile.js';
import { checkPullRequest } from '../plan/pull-request.js';
import { DecisionLog } from '../record/log.js';
import { fitComment } from '../report/fit.js';
import { renderGrantComment } from '../report/grant-comment.js';
import { renderRequestComment } from '../report/request-comment.js';
import { LOOKUP_EVENTS_LIMIT } from '../report/lookup-events-limit.js';
import { renderRevokeComment } from '../report/revoke-comment.js';
import { collectUsage } from '../revoke/collect-usage.js';
import { sweepGrants } from '../revoke/sweep.js';
import { approveAndMerge } from './request.js';
import { clockTime, heading, iso, workflowClients, type Demo } from './context.js';
import {
  GRANT_RUN,
  GRANT_SESSION,
  LOG_OBJECT,
  OTHER_OBJECT,
  REQUESTER,
  REVOKE_RUN,
  REVOKE_SESSION,
  SIMULATED,
  START,
} from './scenario.js';
import { BOT, REPO, REPO_NAME } from './world.js';

/** The same request again, through the account's Identity Center backend. */
export const SSO_REQUEST_FILE = 'requests/example-profile-sso.yaml';
export const SSO_USER = `${REQUESTER}@acme.example`;
const SSO_BROKER = 'jit-access-sso-broker';
const MINUTE = 60_000;
// The emulator ends an assignment request on its third status read: no real waiting.
const POLL: PollOptions = { attempts: 6, firstDelayMs: 0, sleep: async () => {} };

/**
 * Steps 8–12: the request's account switched to `backend: identity-center`, the same request
 * again: a permission set of its own, assigned to the requester's Identity Center user, used
 * through the reserved role's session inside the window, denied after it, swept and reported.
 */
export async function identityCenterStory(demo: Demo, requestText: string): Promise<void> {
  const { world } = demo;
  const { aws } = world;
  const account = demo.config.accounts[/^account:\s*(\S+)/m.exec(requestText)?.[1] ?? ''];
  const setup = demo.narrator.step(
    'sso-setup',
    `The same account moves to IAM Identity Center (backend: identity-center)`,
  );
  const owner = aws.state.defaultAccountId;
  const broker = account && aws.state.entityByArn(account.brokerRole);
  if (
    !setup.check(
      `the request's account and its broker role exist (${account?.alias ?? '?'})`,
      broker?.kind === 'role',
    )
  )
    return;
  // What the Identity Center broker stack creates in the instance's account: a role trusted
  // by the same workflows, allowed Identity Center and nothing else.
  const ssoBroker = aws.state.addRole({
    accountId: owner,
    name: SSO_BROKER,
    path: '/jit-access/',
    trustPolicy: (broker as Role).trustPolicy,
    inlinePolicies: {
      'identity-center': {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['sso:*', 'identitystore:GetUserId'], Resource: '*' },
        ],
      },
    },
  });
  aws.identityCenter.addUser({ userName: SSO_USER });
  const config: JitConfig = {
    ...demo.config,
    identityCenter: {
      instanceArn: aws.identityCenter.instanceArn,
      identityStoreId: aws.identityCenter.identityStoreId,
      region: 'us-east-1',
      brokerRole: ssoBroker.arn,
      users: { [REQUESTER]: SSO_USER },
    },
    accounts: {
      ...demo.config.accounts,
      [account!.alias]: { ...account!, backend: 'identity-center' },
    },
  };
  setup.say(
    // Instance and store ids are random per emulator run; the story prints what stays the same.
    `identityCenter: the organisation's instance and identity store, region us-east-1`,
    `  brokerRole ${ssoBroker.arn}, users: ${REQUESTER} → ${SSO_USER}`,
    `accounts.${account!.alias}.backend: identity-center`,
  );
  const sso: Demo = { ...demo, config };

  const pr = world.gh.state.openPullRequest(REPO_NAME, {
    author: REQUESTER,
    title: `Access request: ${SSO_REQUEST_FILE}`,
    headFiles: { [SSO_REQUEST_FILE]: requestText },
  });
  const check = await checkPullRequest({
    octokit: demo.octokit,
    repo: REPO,
    pullNumber: pr.number,
    headSha: pr.headSha,
    config,
    now: aws.clock.now(),
  });
  const body = fitComment(renderRequestComment({ ...check, headSha: pr.headSha }));
  await upsertStickyComment(
    demo.octokit,
    { ...REPO, issueNumber: pr.number, author: BOT },
    'request',
    body,
  );
  const step = demo.narrator.step('sso-request', `${REQUESTER} asks again: ${SSO_REQUEST_FILE}`);
  step.say(`The request check comments on PR #${pr.number}:`, `  ${heading(body)}`);
  const outcome = check.outcomes[0];
  if (!step.check('the request is valid', check.valid) || !outcome?.ok) return;
  const plan = outcome.plan;
  step.fact('permissionSet', plan.permissionSet?.name);
  step.say(
    `  user:           ${SSO_USER} (Identity Center)`,
    `  permission set: ${plan.permissionSet?.name ?? '?'} (session up to ${plan.permissionSet?.sessionDuration ?? '?'}), the same time-bound policy inline`,
  );
  step.check(
    'it is granted through Identity Center',
    plan.resolved.grantee.backend === 'identity-center' && plan.permissionSet !== undefined,
  );
  if (!approveAndMerge(sso, { pr: pr.number, plan })) return;

  const grant = demo.narrator.step('sso-grant', 'The grant workflow creates and assigns it');
  aws.clock.advance(30_000);
  const grantClients = workflowClients(world, GRANT_RUN, GRANT_SESSION);
  grant.say(
    `${clockTime(aws.clock.now(), START)} OIDC token for ${GRANT_RUN.workflowPath} → STS AssumeRoleWithWebIdentity as ${ssoBroker.arn}`,
  );
  const decisions = await reconcileGrants({
    octokit: demo.octokit,
    repo: REPO,
    defaultBranch: 'main',
    config,
    now: aws.clock.now(),
    log: await DecisionLog.open(demo.octokit, REPO),
    iamFor: (a) => grantClients.iam(a),
    identityCenterFor: (ic) => grantClients.identityCenter(ic),
    poll: POLL,
  });
  const granted = decisions.find(
    (d): d is Extract<GrantDecision, { kind: 'granted' }> =>
      d.kind === 'granted' && d.pr === pr.number,
  );
  for (const d of decisions) {
    const comment = renderGrantComment(d);
    await upsertStickyComment(
      demo.octokit,
      { ...REPO, issueNumber: d.pr, author: BOT },
      'grant',
      comment,
    );
    grant.say(`comments on PR #${d.pr}: ${heading(comment)}`);
  }
  if (!grant.check(`PR #${pr.number} is granted through Identity Center`, !!granted) || !granted)
    return;
  const setArn = granted.policyArn;
  const window = granted.plan.window;
  const role = aws.identityCenter.provisionedRole(setArn, account!.id);
  const name = plan.permissionSet?.name ?? '';
  // The role's suffix is random: shown as `…`, as the usage report's principal shows it.
  const roleShown = `AWSReservedSSO_${name}_…`;
  grant.fact('permissionSetArn', setArn);
  grant.say(
    `permission set ${name}, assigned to ${SSO_USER} in ${account!.id}`,
    `Identity Center made the role ${roleShown} there`,
    `window         ${iso(window.start)} .. ${iso(window.expiry)}`,
  );
  if (
    !grant.check(`its role is ${roleShown}`, !!role?.name.startsWith(`AWSReservedSSO_${name}_`)) ||
    !role
  )
    return;

  const use = demo.narrator.step('sso-access', `${REQUESTER} signs in with the permission set`);
  aws.clock.set(new Date(window.start.getTime() + 3 * MINUTE));
  const session = aws.identityCenter.openSession({
    userName: SSO_USER,
    accountId: account!.id,
    permissionSet: setArn,
  });
  const me = await new STSClient(aws.clientConfig(session)).send(new GetCallerIdentityCommand({}));
  use.say(
    `${clockTime(aws.clock.now(), START)} sts:GetCallerIdentity → ${(me.Arn ?? '?').replace(role.name, roleShown)}`,
  );
  use.check(
    'the session is the reserved role’s, named after the user',
    me.Arn === session.identity.arn && !!me.Arn?.endsWith(`/${role.name}/${SSO_USER}`),
  );
  const cases = [
    { action: 's3:GetObject', resource: LOG_OBJECT, expected: 'allowed' },
    { action: 's3:PutObject', resource: LOG_OBJECT, expected: 'denied' },
    { action: 's3:GetObject', resource: OTHER_OBJECT, expected: 'denied' },
  ] as const;
  for (const c of cases)
    use.check(
      `${c.action.padEnd(13)} ${c.resource}: ${c.expected}`,
      aws.authorize({ principalArn: session.identity.arn, ...c }) === c.expected,
    );
  aws.state.cloudtrail.seed(
    [4, 7].map((after, i) => ({
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        arn: session.identity.arn,
        accountId: account!.id,
        sessionContext: { sessionIssuer: { type: 'Role', arn: role.arn, userName: role.name } },
      },
      eventTime: iso(new Date(window.start.getTime() + after * MINUTE)),
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      awsRegion: account!.regions[0] ?? 'us-east-1',
      sourceIPAddress: '198.51.100.7',
      requestParameters: { bucketName: 'acme-prod-logs', key: '2026/11/24/export.log' },
      eventID: `${SIMULATED}sso-${i + 1}`,
      readOnly: true,
      eventType: 'AwsApiCall',
      // S3 object reads are data events: in the trail, never in LookupEvents.
      managementEvent: false,
      recipientAccountId: account!.id,
      eventCategory: 'Data',
    })),
  );
  use.say('simulated: two s3:GetObject of the logs through this session, seeded into CloudTrail');

  const expiry = demo.narrator.step('sso-expiry', 'The window ends; nothing has run yet');
  aws.clock.set(new Date(window.expiry.getTime() + 1000));
  expiry.say(`${clockTime(aws.clock.now(), START)} one second past the expiry`);
  expiry.check(
    'the assignment and its role are still there',
    aws.identityCenter.provisionedRole(setArn, account!.id) !== undefined,
  );
  expiry.check(
    's3:GetObject is denied: aws:CurrentTime is past the inline policy’s DateLessThan',
    aws.authorize({
      principalArn: session.identity.arn,
      action: 's3:GetObject',
      resource: LOG_OBJECT,
    }) === 'denied',
  );

  const revoke = demo.narrator.step('sso-revoke', 'The scheduled revoke workflow sweeps it');
  aws.clock.advance(10 * MINUTE);
  const now = aws.clock.now();
  const clients = workflowClients(world, REVOKE_RUN, REVOKE_SESSION);
  const swept = await sweepGrants({
    config,
    now,
    iamFor: (a) => clients.iam(a),
    identityCenterFor: (ic) => clients.identityCenter(ic),
    poll: POLL,
  });
  const mine = swept.find((d) => d.kind === 'revoked' && d.policy.arn === setArn);
  revoke.check('the permission set is revoked', mine?.kind === 'revoked');
  revoke.check(
    'its assignment and the reserved role are gone',
    aws.identityCenter.provisionedRole(setArn, account!.id) === undefined,
  );
  revoke.check(
    'every sweep step succeeded',
    swept.every((d) => d.kind !== 'failed'),
  );
  if (mine?.kind !== 'revoked') return;
  revoke.say(
    `removed permission set ${name} (${mine.reason}), after unassigning ${mine.detached.length} user(s)`,
  );
  const usage = await collectUsage(mine, (r) => clients.cloudtrail(mine.account, r), now, {
    athena: (r) => clients.athena(mine.account, r),
  });
  await upsertStickyComment(
    demo.octokit,
    { ...REPO, issueNumber: pr.number, author: BOT },
    'revoke',
    renderRevokeComment(mine, usage),
  );
  revoke.say(
    `usage report: ${usage?.events ?? 0} event${usage?.events === 1 ? '' : 's'} by ${usage?.principalArn ?? '?'}, from ${usage?.source ?? '?'}`,
    ...(usage?.used ?? []).map((u) => `  used     ${u.action} × ${u.calls}`),
    ...(usage?.source === 'lookup-events' ? [`  ${LOOKUP_EVENTS_LIMIT}`] : []),
  );
  // The session's sts:GetCallerIdentity is a management event; its two S3 reads are not.
  revoke.check(
    'the usage report counts this permission set’s session, not the two s3:GetObject LookupEvents cannot see',
    usage?.source === 'lookup-events' && usage.events === 1 && usage.used.length === 0,
  );
}
