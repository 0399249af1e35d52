import type { Role } from '../../emulators/aws/state.js';
import type { Account, CloudTrailAthena } from '../domain.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import { LOOKUP_EVENTS_LIMIT, USAGE_REMEDY } from '../report/lookup-events-limit.js';
import { renderRevokeComment } from '../report/revoke-comment.js';
import { collectUsage } from '../revoke/collect-usage.js';
import { sweepGrants, type RevokeDecision } from '../revoke/sweep.js';
import type { UsageReport } from '../revoke/usage.js';
import { clockTime, heading, workflowClients, type Demo } from './context.js';
import type { Granted } from './grant.js';
import type { Requested } from './request.js';
import { LOG_OBJECT, REQUESTER, REVOKE_RUN, REVOKE_SESSION, START } from './scenario.js';
import { templateRolePolicy } from './template.js';
import { BOT, REPO } from './world.js';

const MINUTE = 60_000;
/** revoke.yml runs every ten minutes. */
const SCHEDULE_MS = 10 * MINUTE;

const jitPolicies = (demo: Demo) =>
  [...demo.world.aws.state.policies.values()].filter((p) => p.path === '/jit/');

/** Step 6: past the expiry, before any sweep: IAM's own time condition has ended the access. */
export function passExpiry(demo: Demo, requested: Requested, granted: Granted): void {
  const { aws } = demo.world;
  const step = demo.narrator.step('expiry', 'The window ends; nothing has run yet');
  aws.clock.set(new Date(granted.window.expiry.getTime() + 1000));
  step.say(`${clockTime(aws.clock.now(), START)} one second past the expiry`);
  const verdict = aws.authorize({
    principalArn: requested.plan.resolved.principalArn,
    action: 's3:GetObject',
    resource: LOG_OBJECT,
  });
  step.fact('verdict', verdict);
  step.check(
    `the policy is still attached (${jitPolicies(demo).length} under /jit/)`,
    jitPolicies(demo).some((p) => p.arn === granted.policyArn),
  );
  step.check(
    `s3:GetObject is denied: aws:CurrentTime is past the policy's DateLessThan`,
    verdict === 'denied',
  );
}

type Revoked = Extract<RevokeDecision, { kind: 'revoked' }>;

/**
 * Step 7: the scheduled revoke workflow, as the `revoke` action runs it. The config as shipped
 * has no `cloudtrail.athena`, so the usage report reads LookupEvents, which has management
 * events only: the requester's S3 object reads are not in it, and the report says so.
 */
export async function runRevoke(demo: Demo, granted: Granted): Promise<Revoked | undefined> {
  const { world, octokit, config } = demo;
  const { aws } = world;
  const step = demo.narrator.step('revoke', 'The scheduled revoke workflow sweeps expired grants');
  const tick = Math.ceil(aws.clock.now().getTime() / SCHEDULE_MS) * SCHEDULE_MS;
  aws.clock.set(new Date(tick));
  const now = aws.clock.now();
  step.say(
    `${clockTime(now, START)} OIDC token for ${REVOKE_RUN.workflowPath} → the broker role again`,
  );

  const clients = workflowClients(world, REVOKE_RUN, REVOKE_SESSION);
  const decisions = await sweepGrants({ config, now, iamFor: (account) => clients.iam(account) });
  let usage: UsageReport | undefined;
  let mine: Revoked | undefined;
  let comment = '';
  for (const d of decisions) {
    if (d.kind === 'failed')
      step.say(`${d.account.alias}: ${d.policy?.arn ?? 'listing /jit/'} failed: ${d.error}`);
    if (d.kind === 'unmanaged') step.say(`${d.policy.arn} has no jit tags: left for a human`);
    if (d.kind !== 'revoked') continue;
    const report = await collectUsage(d, (r) => clients.cloudtrail(d.account, r), now, {
      athena: (r) => clients.athena(d.account, r),
    });
    const body = renderRevokeComment(d, report);
    if (d.policy.arn === granted.policyArn) [usage, mine, comment] = [report, d, body];
    step.say(
      `removed ${d.policy.arn} (${d.reason})`,
      `  detached from ${d.detached.join(', ') || 'nothing'}, then deleted`,
    );
    const pr = Number(d.policy.tags['jit:pr']);
    if (Number.isInteger(pr) && pr > 0) {
      await upsertStickyComment(octokit, { ...REPO, issueNumber: pr, author: BOT }, 'revoke', body);
      step.say(`comments on PR #${pr}: ${heading(body)}`);
    }
  }
  const revoked = decisions.filter((d) => d.kind === 'revoked').map((d) => d.policy.arn);
  step.fact('revoked', revoked);
  step.fact('failed', decisions.filter((d) => d.kind === 'failed').length);
  step.check('the grant is revoked', revoked.includes(granted.policyArn));
  step.check(
    'every account was swept without failure',
    decisions.every((d) => d.kind !== 'failed'),
  );
  step.check('no /jit/ policy is left', jitPolicies(demo).length === 0);

  if (!step.check('a usage report was made from CloudTrail', usage !== undefined) || !usage) return;
  step.fact('usage', usageFacts(usage));
  step.say('', ...usageLines(usage));
  step.check(
    'the report and the PR comment say LookupEvents cannot see S3 object reads',
    usage.source === 'lookup-events' && comment.includes(LOOKUP_EVENTS_LIMIT),
  );
  step.check(
    `none of ${REQUESTER}'s simulated S3 data events is counted from LookupEvents`,
    usage.used.length === 0 && usage.denied.length === 0,
  );
  return mine;
}

/** The Athena settings the demo gives the account: the emulator's trail table. */
const DEMO_ATHENA: CloudTrailAthena = {
  database: 'default',
  table: 'cloudtrail_logs',
  region: 'us-east-1',
  workgroup: 'primary',
  outputLocation: 's3://acme-athena-results/jit-access/',
};

/**
 * Step 8: the same report with `cloudtrail.athena` in the account's config, its stack deployed
 * with the matching `CloudTrailAthena*` parameters: the broker reads the trail itself through
 * Athena, data events included, so the S3 reads count.
 */
export async function athenaUsage(
  demo: Demo,
  revoked: Revoked,
  templateText: string,
): Promise<void> {
  const { world } = demo;
  const { aws } = world;
  const step = demo.narrator.step(
    'athena',
    'The same report read from the trail through Athena (cloudtrail.athena)',
  );
  const account: Account = { ...revoked.account, cloudtrail: { athena: DEMO_ATHENA } };
  const broker = aws.state.entityByArn(account.brokerRole) as Role | undefined;
  if (!step.check('the account has its broker role', broker?.kind === 'role') || !broker) return;
  const policy = templateRolePolicy(templateText, 'BrokerAthenaPolicy', {
    'AWS::AccountId': account.id,
    'AWS::Partition': 'aws',
    CloudTrailAthenaRegion: DEMO_ATHENA.region,
    CloudTrailAthenaWorkGroup: DEMO_ATHENA.workgroup ?? 'primary',
    CloudTrailAthenaDatabase: DEMO_ATHENA.database,
    CloudTrailAthenaTable: DEMO_ATHENA.table,
    CloudTrailBucket: 'acme-org-trail',
    AthenaResultsLocation: 'acme-athena-results/jit-access',
  });
  broker.inlinePolicies.set(policy.PolicyName, policy.PolicyDocument as never);
  step.say(
    `${account.alias}'s config gains cloudtrail.athena (${DEMO_ATHENA.database}.${DEMO_ATHENA.table} in ${DEMO_ATHENA.region});`,
    `its stack, deployed with the CloudTrailAthena* parameters, gives the broker ${policy.PolicyName}`,
  );
  const clients = workflowClients(world, REVOKE_RUN, REVOKE_SESSION);
  const usage = await collectUsage(
    { ...revoked, account },
    () =>
      Promise.reject(new Error('an account with cloudtrail.athena is not read with LookupEvents')),
    aws.clock.now(),
    { athena: (r) => clients.athena(account, r), sleep: async () => {} },
  );
  if (!step.check('a usage report was made through Athena', usage?.source === 'athena') || !usage)
    return;
  step.fact('usage', usageFacts(usage));
  step.say('', ...usageLines(usage));
  step.check(
    `the report shows ${REQUESTER} used s3:GetObject`,
    usage.used.some((u) => u.action === 's3:GetObject'),
  );
}

const usageFacts = (usage: UsageReport) => ({
  source: usage.source,
  events: usage.events,
  used: usage.used,
  denied: usage.denied,
  unused: usage.unused,
  suggested: usage.suggested,
});

function usageLines(usage: UsageReport): string[] {
  const blind = usage.source === 'lookup-events';
  const lines = [
    `usage report: ${usage.events} CloudTrail event${usage.events === 1 ? '' : 's'} by ${usage.principalArn} in the window`,
    blind
      ? `  source   LookupEvents, management events only: ${LOOKUP_EVENTS_LIMIT}; ${USAGE_REMEDY.replace(/`/g, '')}`
      : '  source   the trail through Athena, data events included',
  ];
  for (const u of usage.used)
    lines.push(`  used     ${u.action} × ${u.calls}${u.failed ? ` (${u.failed} failed)` : ''}`);
  for (const d of usage.denied)
    lines.push(`  denied   ${d.action} × ${d.calls} (${d.errorCode}): not covered by the grant`);
  for (const a of usage.unused) lines.push(`  ${blind ? 'not seen' : 'unused  '} ${a}`);
  if (usage.suggested.length > 0) {
    lines.push('  a tighter request next time:');
    for (const s of usage.suggested)
      lines.push(
        `    - actions: ${JSON.stringify(s.actions)}`,
        `      resources: ${JSON.stringify(s.resources)}`,
      );
  }
  return lines;
}
