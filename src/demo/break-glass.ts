import { answerBreakGlass, type BreakGlassAnswer } from '../breakglass/answer.js';
import { reviewBreakGlass, type RetroOutcome } from '../breakglass/retro.js';
import type { JitConfig, Profile } from '../domain.js';
import type { NotifyEvent } from '../notify/event.js';
import { DecisionLog } from '../record/log.js';
import { formatDuration } from '../request/duration.js';
import { recordRevokes, removalRecord, revokedPrs } from '../revoke/answer.js';
import { pendingRevokes } from '../revoke/requests.js';
import { sweepGrants, type RevokeDecision } from '../revoke/sweep.js';
import { clockTime, iso, workflowClients, type Demo } from './context.js';
import type { Step } from './narrate.js';
import { REQUESTER, REVOKE_RUN, REVOKE_SESSION, START } from './scenario.js';
import { REPO, REPO_NAME } from './world.js';

const MINUTE = 60_000;
const OBJECT = 'arn:aws:s3:::acme-prod-logs/2026/11/24/export.log';

/** The profile the demo's config gains: an hour of writes to the log bucket, reviewed afterwards. */
const EMERGENCY: Profile = {
  name: 'prod-logs-emergency',
  description: 'Repair the prod log bucket when nobody can approve in time.',
  statements: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::acme-prod-logs/*'] }],
  maxDurationMinutes: 60,
  approvals: 1,
  approvers: ['acme/sre'],
  breakGlass: { retroReviewWithinMinutes: 30 },
};
const EMERGENCY_YAML = [
  `${EMERGENCY.name}:`,
  `  description: ${EMERGENCY.description}`,
  `  statements:`,
  `    - actions: [s3:PutObject]`,
  `      resources: ["arn:aws:s3:::acme-prod-logs/*"]`,
  `  maxDuration: 1h`,
  `  approvers: [acme/sre]`,
  `  breakGlass: { retroReviewWithin: 30m }`,
];
/** Someone else the config names in prod, who breaks the glass later and is not reviewed. */
const SECOND = 'monalisa';

/** The revoke workflow, run for a `/break-glass` comment as for its schedule. */
const COMMENT_RUN = { ...REVOKE_RUN, eventName: 'issue_comment' };

type Glass = Extract<BreakGlassAnswer, { kind: 'granted' }>;

/**
 * Steps 11–13: break-glass (decision 026). The requester's `/break-glass` comment is answered by
 * the revoke workflow at once, without approval, loudly; the approvers then owe a retro review.
 * octocat's is approved in time and runs its hour; monalisa's is not, and is ended early.
 */
export async function breakGlassStory(demo: Demo): Promise<void> {
  const { aws } = demo.world;
  const config: JitConfig = {
    ...demo.config,
    profiles: { ...demo.config.profiles, [EMERGENCY.name]: EMERGENCY },
  };
  const events: NotifyEvent[] = [];
  const glass = { ...demo, config, events };

  const step = demo.narrator.step(
    'break-glass',
    `Break-glass: ${REQUESTER} takes access now, on their own word`,
  );
  step.say(
    'When nobody can approve in time, a break-glass profile lets the requester take it on their',
    'own word: granted at once, short and loud, and reviewed by the approvers afterwards.',
    '',
    `The config gains a break-glass profile:`,
    ...EMERGENCY_YAML.map((l) => `| ${l}`),
    '',
  );
  aws.clock.set(new Date(Math.ceil(aws.clock.now().getTime() / (60 * MINUTE)) * 60 * MINUTE));
  const mine = await breakGlass(glass, step, REQUESTER, 'prod-logs-repair');
  if (!mine) return;

  const approved = demo.narrator.step(
    'retro-approved',
    `The retro review: a reviewer from acme/sre approves ${REQUESTER}'s PR in time`,
  );
  aws.clock.advance(15 * MINUTE);
  const reviewer = demo.world.reviewers.get('acme/sre') ?? 'sre-reviewer';
  demo.world.gh.state.review(REPO_NAME, mine.pr, { user: reviewer, state: 'APPROVED' });
  approved.say(`${clockTime(aws.clock.now(), START)} ${reviewer} approves PR #${mine.pr}`);
  aws.clock.set(new Date(mine.retroDue.getTime() + MINUTE));
  const first = await revokeRun(glass, approved);
  approved.fact('retro', first.retro);
  approved.check(
    `the retro review is recorded as approved for PR #${mine.pr}`,
    first.retro.some((r) => r.kind === 'approved' && r.pr === mine.pr),
  );
  approved.check(
    `${REQUESTER} can still write: the grant runs to its natural end`,
    writes(demo, mine) === 'allowed',
  );

  const missed = demo.narrator.step(
    'retro-missed',
    `${SECOND} breaks the glass too, and nobody reviews it in time`,
  );
  aws.clock.advance(4 * MINUTE);
  const theirs = await breakGlass(glass, missed, SECOND, 'prod-logs-repair-again');
  if (!theirs) return;
  aws.clock.set(new Date(theirs.retroDue.getTime() + MINUTE));
  missed.say('', `${clockTime(aws.clock.now(), START)} the retro review is due; no approval`);
  const before = events.length;
  const late = await revokeRun(glass, missed);
  missed.fact('retro', late.retro);
  const removed = (pr: number) =>
    late.swept.find(
      (d): d is Extract<RevokeDecision, { kind: 'revoked' }> =>
        d.kind === 'revoked' && d.policy.arn === (pr === theirs.pr ? theirs : mine).policyArn,
    );
  const alert = events.slice(before).find((e) => e.pr === theirs.pr);
  const last = lastComment(demo, theirs.pr);
  if (alert) missed.say(`the alert channel hears: ${alert.detail ?? alert.kind}`);
  missed.say(`the last comment on PR #${theirs.pr}:`, ...last.split('\n').map((l) => `| ${l}`));
  missed.check(
    `the retro review is recorded as missed for PR #${theirs.pr}`,
    late.retro.some((r) => r.kind === 'missed' && r.pr === theirs.pr),
  );
  missed.check(
    `the same run ends ${SECOND}'s grant early`,
    removed(theirs.pr)?.reason === 'early' && writes(demo, theirs) === 'denied',
  );
  missed.check(
    'the PR comment mentions @acme/sre and says the review was missed',
    last.includes('@acme/sre') && last.includes('retro review missed'),
  );
  missed.check(
    'the approvers are alerted on the notification channel',
    alert?.detail?.includes('retro review missed') === true,
  );
  missed.check(
    `${REQUESTER}'s reviewed grant ran its full hour and is removed as expired`,
    removed(mine.pr)?.reason === 'expired',
  );
}

interface GlassDemo extends Demo {
  events: NotifyEvent[];
}

const writes = (demo: Demo, g: Glass) =>
  demo.world.aws.authorize({
    principalArn: principalOf(demo, g),
    action: 's3:PutObject',
    resource: OBJECT,
  });

const principalOf = (demo: Demo, g: Glass) => demo.config.principals[g.by]?.prod ?? '';

const lastComment = (demo: Demo, pr: number) =>
  demo.world.gh.state.comments.filter((c) => c.issueNumber === pr).at(-1)?.body ?? '';

/** A request PR with nobody's approval, `/break-glass` on it, and the run that answers it. */
async function breakGlass(
  demo: GlassDemo,
  step: Step,
  who: string,
  id: string,
): Promise<Glass | undefined> {
  const { aws, gh } = demo.world;
  const file = `requests/${id}.yaml`;
  const pr = gh.state.openPullRequest(REPO_NAME, {
    author: who,
    title: `Break-glass: ${file}`,
    headFiles: {
      [file]: `requester: ${who}\naccount: prod\nprofile: ${EMERGENCY.name}\nduration: 1h\nreason: The nightly export is writing corrupt files; repair them now.\nticket: INC-4212\n`,
    },
  });
  step.say(`${clockTime(aws.clock.now(), START)} ${who} opens PR #${pr.number} adding ${file}`);
  aws.clock.advance(MINUTE);
  const body = '/break-glass prod export is corrupting files, nobody in acme/sre answers';
  gh.state.comment(REPO_NAME, pr.number, { user: who, body });
  step.say(`${clockTime(aws.clock.now(), START)} ${who} comments: ${body}`);
  const principalArn = demo.config.principals[who]?.prod ?? '';
  step.check(
    `${who} cannot write to the log bucket yet`,
    aws.authorize({ principalArn, action: 's3:PutObject', resource: OBJECT }) === 'denied',
  );
  aws.clock.advance(30_000);
  const { answers } = await revokeRun(demo, step, COMMENT_RUN);
  const g = answers.find((a): a is Glass => a.kind === 'granted' && a.pr === pr.number);
  step.fact(
    who,
    g
      ? {
          pr: g.pr,
          policyArn: g.policyArn,
          window: { start: iso(g.window.start), expiry: iso(g.window.expiry) },
          retroDue: iso(g.retroDue),
        }
      : answers,
  );
  if (!step.check(`PR #${pr.number} is granted at once, with no approval`, g !== undefined) || !g)
    return undefined;
  const minutes = (g.window.expiry.getTime() - g.window.start.getTime()) / MINUTE;
  step.say(
    `policy ${g.policyArn}, window ${iso(g.window.start)} .. ${iso(g.window.expiry)}`,
    `the PR's comment:`,
    ...lastComment(demo, pr.number)
      .split('\n')
      .map((l) => `| ${l}`),
  );
  const alert = demo.events.find((e) => e.pr === pr.number);
  if (alert) step.say(`the alert channel hears: ${alert.detail ?? alert.kind}`);
  // The window opens strictly after its start (DateGreaterThan).
  aws.clock.advance(1000);
  step.check(`${who} can write to the log bucket now`, writes(demo, g) === 'allowed');
  step.check(
    `short: ${formatDuration(minutes)}, the profile's cap; review due by ${clockTime(g.retroDue, START)}`,
    minutes <= EMERGENCY.maxDurationMinutes &&
      g.retroDue.getTime() - g.window.start.getTime() <= 30 * MINUTE + MINUTE,
  );
  step.check(
    'loud: the PR comment mentions @acme/sre, and the alert channel is told',
    lastComment(demo, pr.number).includes('@acme/sre') && alert !== undefined,
  );
  return g;
}

/**
 * What the revoke action runs, in its order: `/revoke`s, `/break-glass`es, retro reviews, then the
 * sweep, whose removals are recorded in the decision log.
 */
async function revokeRun(
  demo: GlassDemo,
  step: Step,
  run = REVOKE_RUN,
): Promise<{ answers: BreakGlassAnswer[]; retro: RetroOutcome[]; swept: RevokeDecision[] }> {
  const { world, octokit, config } = demo;
  const now = world.aws.clock.now();
  step.say(
    `${clockTime(now, START)} ${run.workflowPath} runs (${run.eventName}): /revoke, /break-glass, retro reviews, sweep`,
  );
  const clients = workflowClients(world, run, REVOKE_SESSION);
  const stamp = { now, runId: 'demo' };
  const log = await DecisionLog.open(octokit, REPO);
  const scan = await pendingRevokes({
    octokit,
    repo: REPO,
    defaultBranch: 'main',
    config,
    index: log.index,
    now,
  });
  await recordRevokes(log, scan.requests, stamp);
  const notify = (e: NotifyEvent) => {
    demo.events.push(e);
    return Promise.resolve();
  };
  const iamFor = (account: Parameters<typeof clients.iam>[0]) => clients.iam(account);
  const base = { octokit, repo: REPO, log, stamp, notify };
  const answers = await answerBreakGlass({ ...base, defaultBranch: 'main', config, iamFor });
  const retro = await reviewBreakGlass(base);
  const swept = await sweepGrants({ config, now, iamFor, early: { prs: revokedPrs(log.index) } });
  for (const a of answers)
    if (a.kind !== 'granted')
      step.say(`  PR #${a.pr}: ${a.kind === 'refused' ? a.reason : a.error}`);
  for (const r of retro) step.say(`  PR #${r.pr}: retro review ${r.kind}`);
  for (const d of swept) {
    if (d.kind !== 'revoked') continue;
    const removal = removalRecord(d, stamp);
    if (removal) await log.append(removal);
    step.say(`  removed ${d.policy.arn} (${d.reason})`);
  }
  return { answers, retro, swept };
}
