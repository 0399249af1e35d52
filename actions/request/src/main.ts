import * as core from '@actions/core';
import * as github from '@actions/github';
import { readFile } from 'node:fs/promises';
import { commentAuthorInput, configInput, octokitInput } from '../../shared/inputs.js';
import { notifyInput } from '../../shared/notify.js';
import { renderReviewRequests } from '../../../src/github/review-requests.js';
import {
  DEFAULT_REPORT_BUDGET_SECONDS,
  cloudTrailActivity,
} from '../../../src/plan/cloudtrail-activity.js';
import { annotationProperties } from '../../../src/report/annotations.js';
import { requestCheck } from './check.js';

/**
 * The request check, run by `pull_request_target`: the config comes from the base-branch
 * checkout, the request files through the API as data. It comments, annotates and fails the
 * check when a request is invalid. Its only AWS access is the read-only runbook role, for the
 * requester's CloudTrail report; it never holds grant permissions.
 */
async function run(): Promise<void> {
  const pr = github.context.payload.pull_request;
  if (!pr) throw new Error('jit-access request runs on pull_request_target events only');
  const budgetSeconds = reportBudgetInput();
  const config = await configInput('fix it before any request can be checked');
  const now = new Date();
  const runbook = await readFile(config.defaults.runbook, 'utf8').then(
    (text) => ({ text, file: config.defaults.runbook }),
    () => undefined,
  );
  if (!runbook) core.warning(`${config.defaults.runbook} not found: no CloudTrail report`);
  // One announcement per PR: only its opening (or reopening) tells the channel, never a push.
  const action = String(github.context.payload.action ?? '');
  const announceOpened = ['opened', 'reopened'].includes(action) ? notifyInput() : undefined;
  const reviewOctokit = core.getInput('review-token') ? octokitInput('review-token') : undefined;
  if (!reviewOctokit) core.info('review-token is empty: no approver is asked for review');
  const { body, reviews } = await requestCheck({
    octokit: octokitInput(),
    repo: github.context.repo,
    pullNumber: Number(pr.number),
    headSha: String(pr.head?.sha ?? ''),
    ...(pr.base?.ref ? { baseRef: String(pr.base.ref) } : {}),
    config,
    now,
    commentAuthor: commentAuthorInput(),
    ...(runbook && {
      reports: cloudTrailActivity({
        getIdToken: () => core.getIDToken(core.getInput('audience') || 'sts.amazonaws.com'),
        region: core.getInput('region') || 'us-east-1',
        sessionName: `jit-request-${process.env.GITHUB_RUN_ID ?? 'local'}`,
        runbook,
        now,
        budgetSeconds,
      }),
    }),
    // The verdict's annotations, outputs and status come before the report: a job that dies
    // reading CloudTrail has already said what it decided.
    onVerdict: (check) => {
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
    },
    onSuperseded: (head) =>
      core.info(`the pull request's head is now ${head}: its own run writes the comment`),
    ...(reviewOctokit && { reviewOctokit }),
    ...(announceOpened && { announceOpened }),
  });
  // A review request GitHub refused is a warning beside the verdict, never a failed check.
  for (const f of reviews?.failed ?? [])
    core.warning(`${f.reviewer} was not asked for review: ${f.message}`);
  await core.summary
    .addRaw(body)
    .addRaw(reviews ? `\n\n${renderReviewRequests(reviews)}` : '')
    .write();
}

/** Seconds the CloudTrail report may take; the verdict never waits for it. */
function reportBudgetInput(): number {
  const text = core.getInput('report-budget');
  if (text === '') return DEFAULT_REPORT_BUDGET_SECONDS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600)
    throw new Error(`report-budget must be a number of seconds from 1 to 3600, not "${text}"`);
  return seconds;
}

run().catch((e: unknown) => core.setFailed(e instanceof Error ? e.message : String(e)));
