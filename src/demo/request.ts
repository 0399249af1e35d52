import { upsertStickyComment } from '../github/sticky-comment.js';
import type { Plan } from '../plan/plan.js';
import { checkPullRequest } from '../plan/pull-request.js';
import { humanLine } from '../report/annotations.js';
import { fitComment } from '../report/fit.js';
import { renderRequestComment } from '../report/request-comment.js';
import { formatDuration } from '../request/duration.js';
import { clockTime, heading, type Demo } from './context.js';
import { LOG_OBJECT, REQUEST_FILE, REQUESTER, START } from './scenario.js';
import { BOT, REPO, REPO_NAME } from './world.js';

export interface Requested {
  pr: number;
  plan: Plan;
}

/** Step 1: the request PR and the request check's verdict, as the `request` action gives it. */
export async function openRequest(demo: Demo, requestText: string): Promise<Requested | undefined> {
  const { world, octokit, config } = demo;
  const step = demo.narrator.step(
    'request',
    `${REQUESTER} opens a pull request adding ${REQUEST_FILE}`,
  );
  step.say(
    ...requestText
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => `| ${l}`),
  );
  const pr = world.gh.state.openPullRequest(REPO_NAME, {
    author: REQUESTER,
    title: `Access request: ${REQUEST_FILE}`,
    headFiles: { [REQUEST_FILE]: requestText },
  });
  const check = await checkPullRequest({
    octokit,
    repo: REPO,
    pullNumber: pr.number,
    headSha: pr.headSha,
    config,
    now: world.aws.clock.now(),
  });
  const body = fitComment(renderRequestComment({ ...check, headSha: pr.headSha }));
  await upsertStickyComment(
    octokit,
    { ...REPO, issueNumber: pr.number, author: BOT },
    'request',
    body,
  );
  const outcome = check.outcomes[0];
  step.fact('pr', pr.number);
  step.fact('valid', check.valid);
  step.say('', `The request check comments on PR #${pr.number}:`, `  ${heading(body)}`);
  for (const p of [...check.prProblems, ...(outcome && !outcome.ok ? outcome.problems : [])])
    step.say(`  ${humanLine(p)}`);
  if (!step.check('the request is valid', check.valid) || !outcome?.ok) return undefined;

  const plan = outcome.plan;
  const { resolved, window, policy, approvals } = plan;
  step.fact('verdict', plan.verdict);
  step.fact('principal', resolved.principalArn);
  step.fact('approvals', approvals);
  step.fact('policy', { name: policy.name, path: policy.path, document: policy.document });
  step.say(
    `  principal: ${resolved.principalArn} (account ${resolved.account.alias})`,
    `  duration:  ${formatDuration(resolved.durationMinutes)}, ${plan.startsWhenGranted ? 'from the merge' : `from ${window.start.toISOString()}`}`,
    `  approvals: ${approvals.required} distinct, not the requester, from ${approvals.approvers.join(', ') || 'code owners'}`,
    `  policy:    ${policy.path}${policy.name}${plan.startsWhenGranted ? ' (its times run from now; the grant moves them to the merge)' : ''}`,
    ...policy.document.Statement.flatMap((s) => [
      `    ${s.Effect} ${s.Action.join(', ')}`,
      `      on ${s.Resource.join(', ')}`,
      ...Object.entries(s.Condition).flatMap(([operator, keys]) =>
        Object.entries(keys).map(
          ([key, value]) => `      if ${operator} ${key} ${[value].flat().join(', ')}`,
        ),
      ),
    ]),
  );
  step.check(
    `${REQUESTER} cannot read the logs yet`,
    world.aws.authorize({
      principalArn: resolved.principalArn,
      action: 's3:GetObject',
      resource: LOG_OBJECT,
    }) === 'denied',
  );
  return { pr: pr.number, plan };
}

const MINUTE = 60_000;

/** Step 2: a member of the required team approves the final commit, then merges. */
export function approveAndMerge(demo: Demo, requested: Requested): boolean {
  const { world } = demo;
  const { approvers, required } = requested.plan.approvals;
  const step = demo.narrator.step(
    'approve',
    'A reviewer from the required team approves; the PR is merged',
  );
  const reviewers = approvers.flatMap((team) => {
    const login = world.reviewers.get(team);
    return login ? [{ team, login }] : [];
  });
  if (
    !step.check(
      `a member of ${approvers.join(' or ') || 'the code owners'} can review`,
      reviewers.length > 0,
    )
  )
    return false;
  // One reviewer per required approval: the demo's teams have one member each.
  const chosen = reviewers.slice(0, required);
  for (const { team, login } of chosen) {
    world.aws.clock.advance(5 * MINUTE);
    world.gh.state.review(REPO_NAME, requested.pr, { user: login, state: 'APPROVED' });
    step.say(
      `${clockTime(world.aws.clock.now(), START)} ${login} (${team}) approves the final commit`,
    );
  }
  world.aws.clock.advance(MINUTE);
  const merged = world.gh.state.merge(REPO_NAME, requested.pr, { by: chosen[0]!.login });
  step.say(
    `${clockTime(world.aws.clock.now(), START)} ${chosen[0]!.login} merges PR #${requested.pr}: the window starts now`,
  );
  step.fact(
    'approvedBy',
    chosen.map((c) => c.login),
  );
  step.fact('mergedAt', merged.mergedAt?.toISOString());
  return step.check(`enough approvals for the rule (${required})`, chosen.length >= required);
}
