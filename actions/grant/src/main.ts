import * as core from '@actions/core';
import * as github from '@actions/github';
import { commentAuthorInput, configInput, octokitInput } from '../../shared/inputs.js';
import { notifyInput } from '../../shared/notify.js';
import { accountClients } from '../../../src/aws/clients.js';
import { upsertStickyComment } from '../../../src/github/sticky-comment.js';
import { reconcileGrants } from '../../../src/grant/reconcile.js';
import { DecisionLog } from '../../../src/record/log.js';
import { fenced } from '../../../src/report/escape.js';
import { renderGrantComment } from '../../../src/report/grant-comment.js';

/**
 * The grant reconciler, run on pushes to the default branch and on demand. Credentials come
 * from GitHub OIDC per account, only when there is something to grant there.
 */
async function run(): Promise<void> {
  const config = await configInput('nothing can be granted until it is fixed');
  const region = core.getInput('region') || 'us-east-1';
  const audience = core.getInput('audience') || 'sts.amazonaws.com';
  const author = commentAuthorInput();
  const octokit = octokitInput();
  const repo = github.context.repo;
  const defaultBranch = String(github.context.payload.repository?.default_branch ?? 'main');

  const clients = accountClients({
    getIdToken: () => core.getIDToken(audience),
    region,
    sessionName: `jit-grant-${process.env.GITHUB_RUN_ID ?? 'local'}`,
  });

  // The log's protection is checked before anything is read from it: an unprotected log fails
  // the run and grants nothing.
  const log = await DecisionLog.open(octokit, repo);
  const decisions = await reconcileGrants({
    octokit,
    repo,
    defaultBranch,
    config,
    now: new Date(),
    log,
    ...(process.env.GITHUB_RUN_ID ? { runId: process.env.GITHUB_RUN_ID } : {}),
    iamFor: (account) => clients.iam(account),
    identityCenterFor: (ic) => clients.identityCenter(ic),
    notify: notifyInput(),
  });

  const granted = [];
  const refused = [];
  const delayed = [];
  for (const d of decisions) {
    // The comment only presents the decision; failing to post it must not stop the others.
    await upsertStickyComment(
      octokit,
      { ...repo, issueNumber: d.pr, author },
      // One comment per account of a request that names several (decision 027).
      d.target ? `grant:${d.target.account}` : 'grant',
      renderGrantComment(d),
    ).catch((e: unknown) =>
      core.warning(
        `PR #${d.pr}: comment not posted: ${e instanceof Error ? e.message : String(e)}`,
      ),
    );
    if (d.kind === 'granted') {
      granted.push({
        request: d.requestId,
        pr: d.pr,
        policyArn: d.policyArn,
        principal: d.plan.resolved.principalArn,
        start: d.plan.window.start.toISOString(),
        expiry: d.plan.window.expiry.toISOString(),
        created: d.created,
      });
      core.info(
        `granted ${d.requestId} (PR #${d.pr}): ${d.policyArn} until ${d.plan.window.expiry.toISOString()}`,
      );
    } else if (d.kind === 'refused') {
      refused.push({
        request: d.requestId ?? null,
        pr: d.pr,
        codes: [...new Set(d.problems.map((p) => p.code ?? 'REFUSED'))],
        reason: d.problems.map((p) => p.message).join('; '),
      });
      core.warning(`PR #${d.pr} not granted: ${d.problems.map((p) => p.message).join('; ')}`);
    } else if (d.kind === 'delayed') {
      delayed.push({ request: d.requestId ?? null, pr: d.pr, code: d.code, error: d.error });
      core.error(`PR #${d.pr}: ${d.code}, retried next run: ${d.error}`);
    } else {
      core.info(`${d.requestId} (PR #${d.pr}) expired before it was granted`);
    }
    if (d.unrecorded !== undefined) {
      delayed.push({
        request: d.requestId ?? null,
        pr: d.pr,
        code: 'DECISION_LOG_WRITE',
        error: d.unrecorded,
      });
      core.error(
        `PR #${d.pr}: the decision could not be recorded, the next run decides again: ${d.unrecorded}`,
      );
    }
  }
  core.setOutput('granted', JSON.stringify(granted));
  core.setOutput('refused', JSON.stringify(refused));
  core.setOutput('delayed', JSON.stringify(delayed));
  await core.summary
    .addHeading('jit-access grant', 2)
    .addRaw(
      `${granted.length} granted, ${refused.length} refused, ${delayed.length} delayed (retried next run), ${decisions.length} judged.`,
      true,
    )
    // fenced(), not addCodeBlock(): the toolkit does not escape HTML inside its code block.
    .addRaw(`\n${fenced(JSON.stringify({ granted, refused, delayed }, null, 2), 'json')}\n`)
    .write();
  // An outage is not a refusal, and not a success either: the operators must see it.
  if (delayed.length > 0)
    core.setFailed(`${delayed.length} request(s) could not be decided; the next run retries them`);
}

run().catch((e: unknown) => core.setFailed(e instanceof Error ? e.message : String(e)));
