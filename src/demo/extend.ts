import { chainCapMinutes } from '../grant/extend.js';
import { reconcileGrants, type GrantDecision } from '../grant/reconcile.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import type { Plan } from '../plan/plan.js';
import { checkPullRequest } from '../plan/pull-request.js';
import { DecisionLog } from '../record/log.js';
import { humanLine } from '../report/annotations.js';
import { fitComment } from '../report/fit.js';
import { renderGrantComment } from '../report/grant-comment.js';
import { renderRequestComment } from '../report/request-comment.js';
import { formatDuration } from '../request/duration.js';
import { clockTime, heading, iso, workflowClients, type Demo } from './context.js';
import type { Step } from './narrate.js';
import { GRANT_RUN, GRANT_SESSION, LOG_OBJECT, REQUESTER, START } from './scenario.js';
import { BOT, REPO, REPO_NAME } from './world.js';

const MINUTE = 60_000;
type Granted = Extract<GrantDecision, { kind: 'granted' }>;

/** A follow-up grant of an hour, and the extension octocat asks for before it ends. */
const FIRST_ID = 'export-followup';
const SECOND_ID = 'export-followup-more';
const requestText = (extendsId?: string) =>
  `requester: ${REQUESTER}\naccount: prod\nprofile: s3-logs-read\nduration: 1h\n` +
  `reason: Compare tonight's export logs with last night's.\nticket: INC-4211\n` +
  (extendsId ? `extends: ${extendsId}\n` : '');

/**
 * Steps 9–10: extending a live grant (decision 025). A new grant of an hour; twenty minutes before
 * it ends, a request that `extends` it is approved and merged; its window starts at the merge, so
 * IAM never stops allowing the reads, and the old policy is removed once the new one is attached.
 */
export async function extensionStory(demo: Demo): Promise<void> {
  const { aws } = demo.world;
  const first = demo.narrator.step(
    'extend-grant',
    `${REQUESTER} asks again, for an hour: requests/${FIRST_ID}.yaml`,
  );
  first.say(
    'Work that outlasts its window is extended by a new request naming the live grant',
    '(extends: <request id>), reviewed like any other. First, the grant to extend.',
  );
  aws.clock.advance(10 * MINUTE);
  const old = await requestAndGrant(demo, first, FIRST_ID, requestText());
  if (!old) return;

  const step = demo.narrator.step(
    'extend',
    `Twenty minutes before it ends, ${REQUESTER} asks for more: requests/${SECOND_ID}.yaml`,
  );
  const oldWindow = old.plan.window;
  aws.clock.set(new Date(oldWindow.expiry.getTime() - 20 * MINUTE));
  step.say(`| extends: ${FIRST_ID}`);
  const next = await requestAndGrant(demo, step, SECOND_ID, requestText(FIRST_ID));
  if (!next) return;
  const window = next.plan.window;
  const ext = next.extension;
  const cap = chainCapMinutes(demo.config, next.plan.resolved.profile);
  const chainStart = ext?.kind === 'extends' ? ext.chainStart : window.start;
  const chainMinutes = (window.expiry.getTime() - chainStart.getTime()) / MINUTE;
  step.say(
    `old window  ${iso(oldWindow.start)} .. ${iso(oldWindow.expiry)}`,
    `new window  ${iso(window.start)} .. ${iso(window.expiry)}: it starts at the merge, before the old one ends`,
    `chain       ${formatDuration(chainMinutes)} from the first grant's start; the cap is ${formatDuration(cap)}`,
    `            (the profile's maxChain, or 3 × its maxDuration when it sets none)`,
    `the grant workflow attached the new policy first, then removed the old one (jit-${FIRST_ID})`,
  );
  step.fact('oldWindow', { start: iso(oldWindow.start), expiry: iso(oldWindow.expiry) });
  step.fact('window', { start: iso(window.start), expiry: iso(window.expiry) });
  step.fact('chain', { minutes: chainMinutes, capMinutes: cap });
  step.check(
    `the grant extends PR #${old.pr} (${FIRST_ID})`,
    ext?.kind === 'extends' && ext.pr === old.pr,
  );
  step.check(
    'the new window starts before the old one ends',
    window.start.getTime() < oldWindow.expiry.getTime(),
  );
  step.check(
    `the chain stays within its cap (${formatDuration(chainMinutes)} ≤ ${formatDuration(cap)})`,
    chainMinutes <= cap,
  );
  const policies = [...aws.state.policies.values()].filter((p) => p.path === '/jit/');
  step.check(
    `the old policy is gone; only ${next.policyArn} is left under /jit/`,
    policies.length === 1 && policies[0]!.arn === next.policyArn,
  );

  // IAM's own verdict around the old expiry: the access never lapses.
  const principalArn = next.plan.resolved.principalArn;
  const readAt = (at: number) => {
    aws.clock.set(new Date(at));
    return aws.authorize({ principalArn, action: 's3:GetObject', resource: LOG_OBJECT });
  };
  const around = [-1000, 1000].map((offset) => readAt(oldWindow.expiry.getTime() + offset));
  const after = readAt(window.expiry.getTime() + 1000);
  step.fact('verdicts', { beforeOldExpiry: around[0], afterOldExpiry: around[1], after });
  step.check(
    `s3:GetObject is allowed at ${clockTime(new Date(oldWindow.expiry.getTime() - 1000), START)} and ${clockTime(new Date(oldWindow.expiry.getTime() + 1000), START)}: no gap at the old expiry`,
    around.every((v) => v === 'allowed'),
  );
  step.check(
    `and denied at ${clockTime(aws.clock.now(), START)}, one second past the new expiry`,
    after === 'denied',
  );
}

/**
 * A request PR, checked, approved by the required team, merged and granted by the grant
 * workflow: told in brief, the first story having shown each part at length.
 */
async function requestAndGrant(
  demo: Demo,
  step: Step,
  id: string,
  text: string,
): Promise<Granted | undefined> {
  const { world, octokit } = demo;
  const { aws, gh } = world;
  const pr = gh.state.openPullRequest(REPO_NAME, {
    author: REQUESTER,
    title: `Access request: requests/${id}.yaml`,
    headFiles: { [`requests/${id}.yaml`]: text },
  });
  const check = await checkPullRequest({
    octokit,
    repo: REPO,
    pullNumber: pr.number,
    headSha: pr.headSha,
    config: demo.config,
    now: aws.clock.now(),
    baseRef: 'main',
  });
  const body = fitComment(renderRequestComment({ ...check, headSha: pr.headSha }));
  await upsertStickyComment(
    octokit,
    { ...REPO, issueNumber: pr.number, author: BOT },
    'request',
    body,
  );
  step.say(`${clockTime(aws.clock.now(), START)} PR #${pr.number}: ${heading(body)}`);
  const outcome = check.outcomes[0];
  for (const p of [...check.prProblems, ...(outcome && !outcome.ok ? outcome.problems : [])])
    step.say(`  ${humanLine(p)}`);
  if (!step.check(`PR #${pr.number} is valid`, check.valid && outcome?.ok === true)) return;
  const plan: Plan | undefined = outcome?.ok ? outcome.plan : undefined;
  const reviewer = world.reviewers.get(plan?.approvals.approvers[0] ?? '');
  if (!step.check('a reviewer from the required team can approve', reviewer !== undefined)) return;

  aws.clock.advance(3 * MINUTE);
  gh.state.review(REPO_NAME, pr.number, { user: reviewer!, state: 'APPROVED' });
  aws.clock.advance(MINUTE);
  gh.state.merge(REPO_NAME, pr.number, { by: reviewer! });
  step.say(`${clockTime(aws.clock.now(), START)} ${reviewer} approves and merges`);
  aws.clock.advance(30_000);
  const clients = workflowClients(world, GRANT_RUN, GRANT_SESSION);
  const decisions = await reconcileGrants({
    octokit,
    repo: REPO,
    defaultBranch: 'main',
    config: demo.config,
    now: aws.clock.now(),
    log: await DecisionLog.open(octokit, REPO),
    iamFor: (account) => clients.iam(account),
  });
  for (const d of decisions) {
    const comment = renderGrantComment(d);
    await upsertStickyComment(
      octokit,
      { ...REPO, issueNumber: d.pr, author: BOT },
      'grant',
      comment,
    );
    step.say(
      `${clockTime(aws.clock.now(), START)} the grant workflow comments on PR #${d.pr}: ${heading(comment)}`,
    );
    if (d.kind === 'refused') for (const p of d.problems) step.say(`  ${humanLine(p)}`);
  }
  const granted = decisions.find((d): d is Granted => d.kind === 'granted' && d.pr === pr.number);
  step.fact('pr', pr.number);
  if (!step.check(`PR #${pr.number} is granted`, granted !== undefined) || !granted) return;
  const { window } = granted.plan;
  step.fact('policyArn', granted.policyArn);
  step.say(`policy ${granted.policyArn}, window ${iso(window.start)} .. ${iso(window.expiry)}`);
  return granted;
}
