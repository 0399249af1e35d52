import * as core from '@actions/core';
import * as github from '@actions/github';
import { commentAuthorInput, configInput, octokitInput } from '../../shared/inputs.js';
import { accountClients } from '../../../src/aws/clients.js';
import { upsertStickyComment } from '../../../src/github/sticky-comment.js';
import { reconcileGrants } from '../../../src/grant/reconcile.js';
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

  const decisions = await reconcileGrants({
    octokit,
    repo,
    defaultBranch,
    config,
    now: new Date(),
    commentAuthor: author,
    iamFor: (account) => clients.iam(account),
  });

  const granted = [];
  const refused = [];
  for (const d of decisions) {
    await upsertStickyComment(
      octokit,
      { ...repo, issueNumber: d.pr, author },
      'grant',
      renderGrantComment(d),
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
        reason: d.problems.map((p) => p.message).join('; '),
      });
      core.warning(`PR #${d.pr} not granted: ${d.problems.map((p) => p.message).join('; ')}`);
    } else {
      core.info(`${d.requestId} (PR #${d.pr}) expired before it was granted`);
    }
  }
  core.setOutput('granted', JSON.stringify(granted));
  core.setOutput('refused', JSON.stringify(refused));
  await core.summary
    .addHeading('jit-access grant', 2)
    .addRaw(
      `${granted.length} granted, ${refused.length} refused, ${decisions.length} judged.`,
      true,
    )
    // fenced(), not addCodeBlock(): the toolkit does not escape HTML inside its code block.
    .addRaw(`\n${fenced(JSON.stringify({ granted, refused }, null, 2), 'json')}\n`)
    .write();
}

run().catch((e: unknown) => core.setFailed(e instanceof Error ? e.message : String(e)));
