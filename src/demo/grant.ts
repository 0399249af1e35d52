import { upsertStickyComment } from '../github/sticky-comment.js';
import { reconcileGrants, type GrantDecision } from '../grant/reconcile.js';
import { DecisionLog } from '../record/log.js';
import type { GrantWindow } from '../domain.js';
import { humanLine } from '../report/annotations.js';
import { renderGrantComment } from '../report/grant-comment.js';
import { clockTime, heading, iso, workflowClients, type Demo } from './context.js';
import type { Requested } from './request.js';
import {
  GRANT_RUN,
  GRANT_SESSION,
  LOG_OBJECT,
  OTHER_OBJECT,
  REQUESTER,
  START,
} from './scenario.js';
import { BOT, REPO } from './world.js';

export interface Granted {
  policyArn: string;
  window: GrantWindow;
}

/** Step 3: the grant workflow after the merge, as the `grant` action runs it. */
export async function runGrant(demo: Demo, requested: Requested): Promise<Granted | undefined> {
  const { world, octokit, config } = demo;
  const step = demo.narrator.step('grant', 'The grant workflow runs on the push to main');
  // The push workflow starts a little after the merge; the window runs from the merge.
  world.aws.clock.advance(30_000);
  step.say(
    `${clockTime(world.aws.clock.now(), START)} OIDC token for ${GRANT_RUN.workflowPath} (environment ${GRANT_RUN.environment})`,
    `         → STS AssumeRoleWithWebIdentity as ${requested.plan.resolved.account.brokerRole}`,
    `         → reconcile merged request PRs against the config`,
  );
  const clients = workflowClients(world, GRANT_RUN, GRANT_SESSION);
  const decisions = await reconcileGrants({
    octokit,
    repo: REPO,
    defaultBranch: 'main',
    config,
    now: world.aws.clock.now(),
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
    step.say(`comments on PR #${d.pr}: ${heading(comment)}`);
    if (d.kind === 'refused')
      for (const p of d.problems) step.say(`PR #${d.pr} refused: ${humanLine(p)}`);
  }
  const grant = decisions.find(
    (d): d is Extract<GrantDecision, { kind: 'granted' }> =>
      d.kind === 'granted' && d.pr === requested.pr,
  );
  step.fact(
    'decisions',
    decisions.map((d) => ({
      kind: d.kind,
      pr: d.pr,
      ...(d.kind === 'granted' ? { policyArn: d.policyArn } : {}),
    })),
  );
  const granted = step.check(`PR #${requested.pr} is granted`, grant !== undefined);
  if (!granted || !grant) return undefined;

  const { policy, resolved, window } = grant.plan;
  const expected = `arn:aws:iam::${resolved.account.id}:policy${policy.path}${policy.name}`;
  step.fact('policyArn', grant.policyArn);
  step.fact('window', { start: iso(window.start), expiry: iso(window.expiry) });
  step.say(
    `policy  ${grant.policyArn}`,
    `to      ${resolved.principalArn}`,
    `window  ${iso(window.start)} .. ${iso(window.expiry)}`,
  );
  step.check('the policy is the one the request check showed', grant.policyArn === expected);
  return { policyArn: grant.policyArn, window };
}

/** Step 4: what IAM itself now allows the requester, asked of the emulator's policy evaluator. */
export function checkAccess(demo: Demo, requested: Requested): void {
  const { aws } = demo.world;
  const step = demo.narrator.step(
    'access',
    `IAM's verdict on ${REQUESTER}'s access, inside the window`,
  );
  const principalArn = requested.plan.resolved.principalArn;
  const cases = [
    { action: 's3:GetObject', resource: LOG_OBJECT, expected: 'allowed' },
    { action: 's3:PutObject', resource: LOG_OBJECT, expected: 'denied' },
    { action: 's3:GetObject', resource: OTHER_OBJECT, expected: 'denied' },
  ] as const;
  const verdicts = cases.map((c) => ({ ...c, actual: aws.authorize({ principalArn, ...c }) }));
  step.fact(
    'verdicts',
    verdicts.map(({ action, resource, actual }) => ({ action, resource, verdict: actual })),
  );
  for (const v of verdicts)
    step.check(`${v.action.padEnd(13)} ${v.resource}: ${v.expected}`, v.actual === v.expected);
}
