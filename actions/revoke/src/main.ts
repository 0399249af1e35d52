import * as core from '@actions/core';
import * as github from '@actions/github';
import { commentAuthorInput, configInput, octokitInput } from '../../shared/inputs.js';
import { notifyInput } from '../../shared/notify.js';
import { accountClients } from '../../../src/aws/clients.js';
import { answerBreakGlass } from '../../../src/breakglass/answer.js';
import { reviewBreakGlass } from '../../../src/breakglass/retro.js';
import { upsertStickyComment } from '../../../src/github/sticky-comment.js';
import { DecisionLog } from '../../../src/record/log.js';
import { fenced } from '../../../src/report/escape.js';
import { renderRevokeComment } from '../../../src/report/revoke-comment.js';
import { recordRevokes, removalRecord, revokedPrs } from '../../../src/revoke/answer.js';
import { collectUsage } from '../../../src/revoke/collect-usage.js';
import { dueReminders, sendReminders } from '../../../src/revoke/remind.js';
import { pendingRevokes, revokeReply } from '../../../src/revoke/requests.js';
import { closeStaleRequests } from '../../../src/revoke/stale.js';
import { sweepGrants, type LiveGrant } from '../../../src/revoke/sweep.js';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The revoke sweep: on a schedule, on demand, and on a `/revoke` or `/break-glass` comment. Every
 * run looks for every unanswered comment itself, checks break-glass retro reviews and removes
 * every expired grant, so a cancelled, failed or skipped run is caught up by the next.
 */
async function run(): Promise<void> {
  const config = await configInput('fix it so expired grants can be swept');
  const region = core.getInput('region') || 'us-east-1';
  const author = commentAuthorInput();
  const octokit = octokitInput();
  const repo = github.context.repo;
  const defaultBranch = String(github.context.payload.repository?.default_branch ?? 'main');
  const clients = accountClients({
    getIdToken: () => core.getIDToken(core.getInput('audience') || 'sts.amazonaws.com'),
    region,
    sessionName: `jit-revoke-${process.env.GITHUB_RUN_ID ?? 'local'}`,
  });
  const now = new Date();
  const stamp = { now, ...(process.env.GITHUB_RUN_ID ? { runId: process.env.GITHUB_RUN_ID } : {}) };
  const failed: {
    request: string | null;
    pr: number | null;
    policyArn: string | null;
    reason: string;
  }[] = [];

  const log = await DecisionLog.open(octokit, repo);
  const notify = notifyInput();
  // The PR of the comment that started this run: a /revoke on a grant that has ended is read
  // only from there (every live grant's comments are read on every run).
  const issue = github.context.payload.issue;
  const commented =
    github.context.eventName === 'issue_comment' && issue?.pull_request
      ? Number(issue.number)
      : undefined;
  const scan = await pendingRevokes({
    octokit,
    repo,
    defaultBranch,
    config,
    index: log.index,
    now,
    ...(commented !== undefined && Number.isInteger(commented) ? { commented } : {}),
  });
  for (const f of scan.failures)
    failed.push({
      request: null,
      pr: f.pr,
      policyArn: null,
      reason: `reading /revoke comments: ${message(f.error)}`,
    });
  const answered = await recordRevokes(log, scan.requests, stamp);
  for (const f of answered.failures)
    failed.push({
      request: null,
      pr: f.pr,
      policyArn: null,
      reason: `recording /revoke: ${f.error}`,
    });
  for (const r of answered.recorded) {
    const body = revokeReply(r);
    if (body === undefined) continue;
    const on = r.on ?? r.pr;
    await octokit.rest.issues
      .createComment({ ...repo, issue_number: on, body })
      .catch((e: unknown) => core.warning(`PR #${on}: reply not posted: ${message(e)}`));
  }

  // Break-glass before the sweep: a retro review missed now is ended by this same run.
  const glass = await answerBreakGlass({
    octokit,
    repo,
    defaultBranch,
    config,
    log,
    stamp,
    iamFor: (account) => clients.iam(account),
    identityCenterFor: (ic) => clients.identityCenter(ic),
    notify,
  });
  const retro = await reviewBreakGlass({ octokit, repo, log, stamp, notify });
  for (const o of [...glass, ...retro]) {
    if (o.kind === 'failed')
      failed.push({
        request: null,
        pr: o.pr || null,
        policyArn: null,
        reason: `break-glass: ${o.error}`,
      });
    else core.info(`PR #${o.pr}: break-glass ${o.kind}`);
  }

  const live: LiveGrant[] = [];
  const decisions = await sweepGrants({
    config,
    now,
    iamFor: (account) => clients.iam(account),
    identityCenterFor: (ic) => clients.identityCenter(ic),
    early: { prs: revokedPrs(log.index) },
    notify,
    live: (grant) => live.push(grant),
  });

  const revoked = [];
  for (const d of decisions) {
    if (d.kind === 'revoked') {
      // Accounts with `cloudtrail.athena` are read through Athena (data events included). An
      // Identity Center grant is read in its target account as that account's broker role, which
      // reads its CloudTrail for IAM grants already; a permission set tagged for an account the
      // config no longer has has no broker to read with, so it gets no report.
      const readable =
        d.backend !== 'identity-center' || config.accounts[d.account.alias] === d.account;
      const usage = readable
        ? await collectUsage(d, (r) => clients.cloudtrail(d.account, r), now, {
            athena: (r) => clients.athena(d.account, r),
          }).catch((e: unknown) => {
            core.warning(`usage report for ${d.policy.arn}: ${message(e)}`);
            return undefined;
          })
        : undefined;
      const pr = Number(d.policy.tags['jit:pr']);
      const removal = removalRecord(d, stamp, usage);
      if (removal) {
        await log.append(removal).catch((e: unknown) =>
          failed.push({
            request: d.policy.requestId ?? null,
            pr,
            policyArn: d.policy.arn,
            reason: `recording the removal: ${message(e)}`,
          }),
        );
      }
      if (Number.isInteger(pr) && pr > 0) {
        await upsertStickyComment(
          octokit,
          { ...repo, issueNumber: pr, author },
          'revoke',
          renderRevokeComment(d, usage),
        ).catch((e: unknown) => core.warning(`PR #${pr}: comment not posted: ${message(e)}`));
      }
      revoked.push({ request: d.policy.requestId, pr, policyArn: d.policy.arn, reason: d.reason });
      core.info(`revoked ${d.policy.arn} (${d.reason})`);
    } else if (d.kind === 'failed') {
      failed.push({
        request: d.policy?.requestId ?? null,
        pr: null,
        policyArn: d.policy?.arn ?? null,
        reason: d.error,
      });
      core.warning(
        `${d.account.alias}: ${d.policy?.arn ?? 'listing /jit/ policies'} failed, the next run retries: ${d.error}`,
      );
    } else {
      core.warning(
        `${d.policy.arn} is under /jit/ but has no jit:request/jit:expiry tags; left in place for a human`,
      );
    }
  }
  const reminders = await sendReminders(
    { log, octokit, repo, stamp, notify },
    dueReminders(live, now, config.lifecycle.remindBeforeMinutes, log.index),
  );
  for (const r of reminders.sent) core.info(`PR #${r.pr}: reminded ${r.requester}`);
  for (const f of reminders.failures)
    failed.push({ request: null, pr: f.pr, policyArn: null, reason: f.error });

  const stale = await closeStaleRequests({
    octokit,
    repo,
    defaultBranch,
    now,
    days: config.lifecycle.closeUnmergedAfterDays,
  }).catch((e: unknown) => ({ closed: [], failures: [{ pr: 0, error: message(e) }] }));
  for (const c of stale.closed) core.info(`PR #${c.pr}: closed, open since ${c.openedAt}`);
  for (const f of stale.failures)
    failed.push({
      request: null,
      pr: f.pr || null,
      policyArn: null,
      reason: `closing stale requests: ${f.error}`,
    });

  core.setOutput('revoked', JSON.stringify(revoked));
  core.setOutput('failed', JSON.stringify(failed));
  await core.summary
    .addHeading('jit-access revoke', 2)
    .addRaw(`${revoked.length} revoked, ${failed.length} failed (retried next run).`, true)
    .addRaw(`\n${fenced(JSON.stringify({ revoked, failed }, null, 2), 'json')}\n`)
    .write();
  if (failed.length > 0)
    core.setFailed(`${failed.length} step(s) failed; the next run retries them`);
}

run().catch((e: unknown) => core.setFailed(message(e)));
