import * as core from '@actions/core';
import * as github from '@actions/github';
import { readFile } from 'node:fs/promises';
import { commentAuthorInput, configInput, octokitInput } from '../../shared/inputs.js';
import { upsertStickyComment } from '../../../src/github/sticky-comment.js';
import { cloudTrailActivity } from '../../../src/plan/cloudtrail-activity.js';
import { checkPullRequest } from '../../../src/plan/pull-request.js';
import { annotationProperties } from '../../../src/report/annotations.js';
import { fitComment } from '../../../src/report/fit.js';
import { renderRequestComment } from '../../../src/report/request-comment.js';

/**
 * The request check, run by `pull_request_target`: the config comes from the base-branch
 * checkout, the request files through the API as data. It comments, annotates and fails the
 * check when a request is invalid. Its only AWS access is the read-only runbook role, for the
 * requester's CloudTrail report; it never holds grant permissions.
 */
async function run(): Promise<void> {
  const pr = github.context.payload.pull_request;
  if (!pr) throw new Error('jit-access request runs on pull_request_target events only');
  const config = await configInput('fix it before any request can be checked');
  const octokit = octokitInput();
  const repo = github.context.repo;
  const headSha = String(pr.head?.sha ?? '');
  const now = new Date();
  const runbook = await readFile(config.defaults.runbook, 'utf8').then(
    (text) => ({ text, file: config.defaults.runbook }),
    () => undefined,
  );
  if (!runbook) core.warning(`${config.defaults.runbook} not found: no CloudTrail report`);
  const check = await checkPullRequest({
    octokit,
    repo,
    pullNumber: Number(pr.number),
    headSha,
    config,
    now,
    ...(runbook
      ? {
          activity: cloudTrailActivity({
            getIdToken: () => core.getIDToken(core.getInput('audience') || 'sts.amazonaws.com'),
            region: core.getInput('region') || 'us-east-1',
            sessionName: `jit-request-${process.env.GITHUB_RUN_ID ?? 'local'}`,
            runbook,
            now,
          }),
        }
      : {}),
  });
  const body = fitComment(renderRequestComment({ ...check, headSha }));
  await upsertStickyComment(
    octokit,
    {
      ...repo,
      issueNumber: Number(pr.number),
      author: commentAuthorInput(),
    },
    'request',
    body,
  );
  await core.summary.addRaw(body).write();

  for (const p of [
    ...check.prProblems,
    ...check.outcomes.flatMap((o) => (o.ok ? o.plan.warnings : o.problems)),
  ]) {
    (p.severity === 'warning' ? core.warning : core.error)(p.message, annotationProperties(p));
  }
  core.setOutput('valid', String(check.valid));
  core.setOutput('requests', JSON.stringify(check.requestIds));
  if (!check.valid)
    core.setFailed('the pull request does not hold a valid access request; see the comment');
}

run().catch((e: unknown) => core.setFailed(e instanceof Error ? e.message : String(e)));
