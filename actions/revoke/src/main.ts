import * as core from '@actions/core';
import * as github from '@actions/github';
import { commentAuthorInput, configInput, octokitInput } from '../../shared/inputs.js';
import { accountClients } from '../../../src/aws/clients.js';
import { fetchPrFacts } from '../../../src/github/pr-facts.js';
import { upsertStickyComment } from '../../../src/github/sticky-comment.js';
import { code, fenced } from '../../../src/report/escape.js';
import { renderRevokeComment } from '../../../src/report/revoke-comment.js';
import { judgeEarlyRevoke } from '../../../src/revoke/early.js';
import { collectUsage } from '../../../src/revoke/collect-usage.js';
import { sweepGrants } from '../../../src/revoke/sweep.js';

/**
 * The revoke sweep: on a schedule, on demand, and on a `/revoke` comment. Every run removes all
 * expired grants, so a failed or skipped run is caught up by the next.
 */
async function run(): Promise<void> {
  const config = await configInput('fix it so expired grants can be swept');
  const region = core.getInput('region') || 'us-east-1';
  const author = commentAuthorInput();
  const octokit = octokitInput();
  const repo = github.context.repo;
  const clients = accountClients({
    getIdToken: () => core.getIDToken(core.getInput('audience') || 'sts.amazonaws.com'),
    region,
    sessionName: `jit-revoke-${process.env.GITHUB_RUN_ID ?? 'local'}`,
  });

  let early: { requestId: string } | undefined;
  const payload = github.context.payload;
  if (github.context.eventName === 'issue_comment' && payload.issue?.pull_request) {
    const body = String(payload.comment?.body ?? '');
    if (/^\/revoke\b/.test(body.trim())) {
      const number = Number(payload.issue.number);
      const commenter = String(payload.comment?.user?.login ?? '');
      const verdict = judgeEarlyRevoke(await fetchPrFacts(octokit, repo, number), commenter);
      if (verdict.allowed) {
        early = { requestId: verdict.requestId };
      } else {
        await octokit.rest.issues.createComment({
          ...repo,
          issue_number: number,
          body: `Sorry ${code(commenter)}, ${code(verdict.reason)}. Nothing was revoked.`,
        });
      }
    }
  }

  const now = new Date();
  const decisions = await sweepGrants({
    config,
    now,
    iamFor: (account) => clients.iam(account),
    ...(early ? { early } : {}),
  });

  const revoked = [];
  const failed = [];
  for (const d of decisions) {
    if (d.kind === 'revoked') {
      // Accounts with `cloudtrail.athena` are read through Athena (data events included).
      const usage = await collectUsage(d, (r) => clients.cloudtrail(d.account, r), now, {
        athena: (r) => clients.athena(d.account, r),
      }).catch((e: unknown) => {
        core.warning(
          `usage report for ${d.policy.arn}: ${e instanceof Error ? e.message : String(e)}`,
        );
        return undefined;
      });
      const pr = Number(d.policy.tags['jit:pr']);
      if (Number.isInteger(pr) && pr > 0) {
        await upsertStickyComment(
          octokit,
          { ...repo, issueNumber: pr, author },
          'revoke',
          renderRevokeComment(d, usage),
        );
      }
      revoked.push({ request: d.policy.requestId, policyArn: d.policy.arn, reason: d.reason });
      core.info(`revoked ${d.policy.arn} (${d.reason})`);
    } else if (d.kind === 'failed') {
      failed.push({
        request: d.policy?.requestId ?? null,
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
  core.setOutput('revoked', JSON.stringify(revoked));
  core.setOutput('failed', JSON.stringify(failed));
  await core.summary
    .addHeading('jit-access revoke', 2)
    .addRaw(`${revoked.length} revoked, ${failed.length} failed (retried next run).`, true)
    .addRaw(`\n${fenced(JSON.stringify({ revoked, failed }, null, 2), 'json')}\n`)
    .write();
  if (failed.length > 0)
    core.setFailed(`${failed.length} revocation(s) failed; the next run retries them`);
}

run().catch((e: unknown) => core.setFailed(e instanceof Error ? e.message : String(e)));
