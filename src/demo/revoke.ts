import { upsertStickyComment } from '../github/sticky-comment.js';
import { renderRevokeComment } from '../report/revoke-comment.js';
import { collectUsage } from '../revoke/collect-usage.js';
import { sweepGrants } from '../revoke/sweep.js';
import type { UsageReport } from '../revoke/usage.js';
import { clockTime, heading, workflowClients, type Demo } from './context.js';
import type { Granted } from './grant.js';
import type { Requested } from './request.js';
import { LOG_OBJECT, REQUESTER, REVOKE_RUN, REVOKE_SESSION, START } from './scenario.js';
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

/** Step 7: the scheduled revoke workflow, as the `revoke` action runs it. */
export async function runRevoke(demo: Demo, granted: Granted): Promise<void> {
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
  for (const d of decisions) {
    if (d.kind === 'failed')
      step.say(`${d.account.alias}: ${d.policy?.arn ?? 'listing /jit/'} failed: ${d.error}`);
    if (d.kind === 'unmanaged') step.say(`${d.policy.arn} has no jit tags: left for a human`);
    if (d.kind !== 'revoked') continue;
    const report = await collectUsage(d, (r) => clients.cloudtrail(d.account, r), now, {
      athena: (r) => clients.athena(d.account, r),
    });
    if (d.policy.arn === granted.policyArn) usage = report;
    step.say(
      `removed ${d.policy.arn} (${d.reason})`,
      `  detached from ${d.detached.join(', ') || 'nothing'}, then deleted`,
    );
    const comment = renderRevokeComment(d, report);
    const pr = Number(d.policy.tags['jit:pr']);
    if (Number.isInteger(pr) && pr > 0) {
      await upsertStickyComment(
        octokit,
        { ...REPO, issueNumber: pr, author: BOT },
        'revoke',
        comment,
      );
      step.say(`comments on PR #${pr}: ${heading(comment)}`);
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
  step.fact('usage', {
    events: usage.events,
    used: usage.used,
    denied: usage.denied,
    unused: usage.unused,
    suggested: usage.suggested,
  });
  step.say('', ...usageLines(usage));
  step.check(
    `the report shows ${REQUESTER} used s3:GetObject`,
    usage.used.some((u) => u.action === 's3:GetObject'),
  );
}

function usageLines(usage: UsageReport): string[] {
  const lines = [
    `usage report: ${usage.events} CloudTrail events by ${usage.principalArn} in the window`,
  ];
  for (const u of usage.used)
    lines.push(`  used     ${u.action} × ${u.calls}${u.failed ? ` (${u.failed} failed)` : ''}`);
  for (const d of usage.denied)
    lines.push(`  denied   ${d.action} × ${d.calls} (${d.errorCode}): not covered by the grant`);
  for (const a of usage.unused) lines.push(`  unused   ${a}`);
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
