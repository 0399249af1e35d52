/**
 * Answers `/break-glass` comments (decisions 026, 032): found by the sweep itself on the open
 * request PRs, judged, and either granted through the ordinary IAM or Identity Center path or
 * refused, each answer recorded in the decision log with the comment's id so it is answered once.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { Octokit } from '@octokit/rest';
import type { Account, GrantWindow, IdentityCenter, JitConfig } from '../domain.js';
import { messageOf } from '../aws/errors.js';
import { applyGrant } from '../aws/iam-grant.js';
import { revokePolicy, type RevokeOutcome } from '../aws/iam-revoke.js';
import { applySsoGrant, permissionSetTags, type IdentityCenterClients } from '../aws/sso-grant.js';
import { revokePermissionSet } from '../aws/sso-revoke.js';
import type { PollOptions } from '../aws/sso-status.js';
import { addsRequest } from '../github/changed-requests.js';
import { checkPrShape, checkRequester } from '../github/eligibility.js';
import { fetchPrFacts, type PrFacts } from '../github/pr-facts.js';
import type { RepoRef } from '../github/pull-request.js';
import { readRequestFile } from '../github/request-file.js';
import { TeamMemberships } from '../github/teams.js';
import { approvalRuleFor } from '../grant/approval-rule.js';
import { policyGrantOf } from '../grant/policy-grant.js';
import { tell, type Notify } from '../notify/event.js';
import { planRequest, type Plan } from '../plan/plan.js';
import { documentSha256, type DecisionLog } from '../record/log.js';
import { recordBase, type DecisionRecord, type Stamp } from '../record/record.js';
import { code } from '../report/escape.js';
import { isBreakGlassCommand, judgeComment, judgeRequest, mentions, retroDue } from './rules.js';

export interface BreakGlassRun {
  octokit: Octokit;
  repo: RepoRef;
  defaultBranch: string;
  config: JitConfig;
  log: DecisionLog;
  stamp: Stamp;
  iamFor: (account: Account) => Promise<IAMClient>;
  /** SSO Admin and Identity Store as the Identity Center broker role, for identity-center accounts. */
  identityCenterFor?: (identityCenter: IdentityCenter) => Promise<IdentityCenterClients>;
  /** How long an assignment is polled before the run leaves it to the next. */
  poll?: PollOptions;
  notify?: Notify;
}

/** What the run did with one `/break-glass` comment. */
export type BreakGlassAnswer =
  | {
      kind: 'granted';
      pr: number;
      commentId: number;
      by: string;
      requestId: string;
      policyArn: string;
      window: GrantWindow;
      retroDue: Date;
      approvers: string[];
    }
  | { kind: 'refused'; pr: number; commentId: number; by: string; code: string; reason: string }
  /** Nothing recorded: the comment stays unanswered and the next run tries again. */
  | { kind: 'failed'; pr: number; commentId?: number; error: string };

type Refusal = { code: string; reason: string };
type Judged =
  { plan: Plan; file: string; text: string; approvers: string[]; facts: PrFacts } | Refusal;

/**
 * Every unanswered `/break-glass` on an open request PR into the default branch whose PR has no
 * final record. A PR that cannot be read is reported and asked again next run.
 */
export async function answerBreakGlass(run: BreakGlassRun): Promise<BreakGlassAnswer[]> {
  const { octokit, repo, log } = run;
  const teams = new TeamMemberships(octokit);
  const answers: BreakGlassAnswer[] = [];
  let open;
  try {
    open = await octokit.paginate(octokit.rest.pulls.list, {
      ...repo,
      state: 'open',
      base: run.defaultBranch,
      per_page: 100,
    });
  } catch (e) {
    return [{ kind: 'failed', pr: 0, error: `listing open PRs: ${messageOf(e)}` }];
  }
  for (const pull of open) {
    const pr = pull.number;
    if (log.index.isFinal(pr)) continue;
    try {
      const comments = await octokit.paginate(octokit.rest.issues.listComments, {
        ...repo,
        issue_number: pr,
        per_page: 100,
      });
      const asked = comments.filter(
        (c) => isBreakGlassCommand(c.body) && c.user && !log.index.answered(pr, c.id),
      );
      for (const c of asked) {
        const by = c.user!.login;
        const verdict = judgeComment({
          by,
          createdAt: c.created_at,
          updatedAt: c.updated_at,
          prAuthor: pull.user?.login ?? '',
          now: run.stamp.now,
        });
        const judged = verdict.ok ? await judge(run, teams, pr) : verdict;
        const answer =
          'plan' in judged
            ? await grant(run, judged, c.id, by)
            : await refuse(run, pr, c.id, by, judged);
        answers.push(answer);
        if (answer.kind !== 'refused') break;
      }
    } catch (e) {
      answers.push({ kind: 'failed', pr, error: messageOf(e) });
    }
  }
  return answers;
}

/** The request as the PR's head holds it now, judged under today's config. */
async function judge(run: BreakGlassRun, teams: TeamMemberships, pr: number): Promise<Judged> {
  const facts = await fetchPrFacts(run.octokit, run.repo, pr);
  // The PR is open by construction: its shape is judged as a merge would be, bar the merge.
  const shape = checkPrShape(facts, { defaultBranch: run.defaultBranch }).filter(
    (p) => p.code !== 'PR_NOT_MERGED',
  );
  const file = facts.files.filter(addsRequest)[0]?.filename;
  if (shape.length > 0 || !file)
    return { code: 'PR_SHAPE', reason: shape.map((p) => p.message).join('; ') };
  const read = await readRequestFile(run.octokit, run.repo, file, facts.headSha);
  if (read.kind !== 'text')
    return {
      code: 'REQUEST_FILE_UNREADABLE',
      reason: read.kind === 'missing' ? `${file} is not in the PR's head commit` : read.why,
    };
  const plan = planRequest({ text: read.text, file, config: run.config, now: run.stamp.now, pr });
  if (!plan.ok)
    return {
      code: 'REQUEST_INVALID',
      reason: plan.problems.map((p) => p.message).join('; '),
    };
  const requester = checkRequester(facts, plan.value.request.requester);
  if (requester.length > 0) return { code: 'REQUESTER_NOT_AUTHOR', reason: requester[0]!.message };
  const rule = await approvalRuleFor(run.octokit, run.repo, run.defaultBranch, plan.value, file);
  const name = plan.value.resolved.profile;
  const verdict = judgeRequest({
    profile: name === undefined ? undefined : run.config.profiles[name],
    namesStart: plan.value.request.start !== undefined,
    approvers: rule.approvers,
  });
  if (!verdict.ok) return verdict;
  const requesterTeams = plan.value.resolved.requesterTeams;
  if (requesterTeams) {
    let member = false;
    for (const t of requesterTeams)
      if (await teams.isActiveMember(t, plan.value.request.requester)) member = true;
    if (!member)
      return {
        code: 'REQUESTER_NOT_ALLOWED',
        reason: `profile ${name ?? ''} may be requested only by members of ${requesterTeams.join(', ')}`,
      };
  }
  return { plan: plan.value, file, text: read.text, approvers: rule.approvers, facts };
}

async function refuse(
  run: BreakGlassRun,
  pr: number,
  commentId: number,
  by: string,
  why: Refusal,
): Promise<BreakGlassAnswer> {
  try {
    await run.log.append({
      ...recordBase(pr, run.stamp),
      kind: 'break-glass-refused',
      by,
      commentId,
      reason: why.reason,
    });
  } catch (e) {
    return { kind: 'failed', pr, commentId, error: `recording the refusal: ${messageOf(e)}` };
  }
  await run.octokit.rest.issues
    .createComment({
      ...run.repo,
      issue_number: pr,
      body: `Sorry ${code(by)}: ${code(why.reason, { max: 600 })}. Nothing was granted.`,
    })
    .catch(() => undefined);
  return { kind: 'refused', pr, commentId, by, ...why };
}

/**
 * Attaches the policy (or assigns the permission set), then records it; a grant the log does not
 * hold is taken back at once, so no break-glass access exists without its audit line and its
 * retro review.
 */
async function grant(
  run: BreakGlassRun,
  j: Exclude<Judged, Refusal>,
  commentId: number,
  by: string,
): Promise<BreakGlassAnswer> {
  const { facts } = j;
  const pr = facts.number;
  try {
    const held = await attach(run, j);
    if (held.kind === 'conflict')
      return refuse(run, pr, commentId, by, { code: 'GRANT_CONFLICT', reason: held.reason });
    if (held.kind === 'failed') return { kind: 'failed', pr, commentId, error: held.reason };
    const { plan, policyArn } = held;
    const profile = run.config.profiles[plan.resolved.profile!]!;
    // A grant resumed from an earlier attempt began then, and so does its retro review's clock.
    const grantedAt =
      plan.window.start.getTime() < run.stamp.now.getTime() - 1000
        ? plan.window.start
        : run.stamp.now;
    const due = retroDue(grantedAt, profile);
    const rule = { required: plan.approvals.required, approvers: j.approvers };
    await recordGrant(run, plan, {
      pr,
      commentId,
      by,
      policyArn,
      ...(held.identityCenterUserId ? { identityCenterUserId: held.identityCenterUserId } : {}),
      headSha: facts.headSha,
      due,
      rule,
    }).catch(async (e: unknown) => {
      const back = await held
        .takeBack()
        .catch((f: unknown) => ({ ok: false, reason: messageOf(f) }));
      const how = back.ok
        ? 'taken back'
        : `not taken back (${back.reason}): it ends at its own expiry, and the next run records it or the sweep removes it`;
      throw new Error(`recording the grant (${how}): ${messageOf(e)}`);
    });
    const answer: BreakGlassAnswer = {
      kind: 'granted',
      pr,
      commentId,
      by,
      requestId: plan.request.id,
      policyArn,
      window: plan.window,
      retroDue: due,
      approvers: j.approvers,
    };
    await announce(run, plan, answer, facts.headSha);
    return answer;
  } catch (e) {
    return { kind: 'failed', pr, commentId, error: messageOf(e) };
  }
}

type Attached =
  | {
      kind: 'attached';
      /** The plan granted: for a resumed Identity Center attempt, with that attempt's window. */
      plan: Plan;
      policyArn: string;
      identityCenterUserId?: string;
      takeBack: () => Promise<RevokeOutcome>;
    }
  | { kind: 'conflict'; reason: string }
  | { kind: 'failed'; reason: string };

const refusedOrFailed = (conflict: boolean, reason: string): Attached =>
  conflict ? { kind: 'conflict', reason } : { kind: 'failed', reason };

/** The grant in place through the account's backend, and how to take it back. */
async function attach(run: BreakGlassRun, j: Exclude<Judged, Refusal>): Promise<Attached> {
  const { plan } = j;
  const { account, grantee } = plan.resolved;
  if (grantee.backend === 'identity-center') return assign(run, j, grantee.identityCenter);
  const iam = await run.iamFor(account);
  const outcome = await applyGrant(iam, policyGrantOf(plan));
  if (!outcome.ok) return refusedOrFailed(outcome.kind === 'conflict', outcome.reason);
  return {
    kind: 'attached',
    plan,
    policyArn: outcome.policyArn,
    takeBack: () => revokePolicy(iam, outcome.policyArn),
  };
}

/**
 * The request's permission set, assigned to the requester's user. Identity Center assigns
 * asynchronously: an assignment still in progress or FAILED when the run stops polling is a
 * failure the next run retries, never a refusal. The window starts at the grant, so the retry
 * would plan another one than the permission set that attempt left: when that set is this
 * request's, for this PR and user, the retry resumes it with its own window (or removes it once
 * that window has ended, and starts anew).
 */
async function assign(
  run: BreakGlassRun,
  j: Exclude<Judged, Refusal>,
  ic: IdentityCenter,
): Promise<Attached> {
  if (!run.identityCenterFor)
    return {
      kind: 'failed',
      reason: `${j.plan.resolved.account.alias} grants through Identity Center, but this run has no Identity Center client`,
    };
  const clients = await run.identityCenterFor(ic);
  const poll = run.poll ? [run.poll] : [];
  const takeBack = (arn: string, tags: Record<string, string>) => () =>
    revokePermissionSet(clients.ssoAdmin, ic.instanceArn, { arn, tags }, ...poll);
  let plan = j.plan;
  for (let attempt = 0; ; attempt++) {
    const set = plan.permissionSet;
    if (!set) throw new Error('an Identity Center plan without its permission set');
    const outcome = await applySsoGrant(clients, set, ...poll);
    const tags = Object.fromEntries(set.tags.map((t) => [t.Key, t.Value]));
    if (outcome.ok)
      return {
        kind: 'attached',
        plan,
        policyArn: outcome.permissionSetArn,
        identityCenterUserId: outcome.userId,
        takeBack: takeBack(outcome.permissionSetArn, tags),
      };
    if (outcome.kind !== 'conflict' || !outcome.permissionSetArn || attempt > 0)
      return refusedOrFailed(outcome.kind === 'conflict', outcome.reason);
    const arn = outcome.permissionSetArn;
    const left = await permissionSetTags(clients.ssoAdmin, ic.instanceArn, arn);
    const earlier = earlierAttempt(run, j, left);
    if (!earlier) return { kind: 'conflict', reason: outcome.reason };
    if (earlier.kind === 'resume') {
      plan = earlier.plan;
      continue;
    }
    const removed = await takeBack(arn, left)();
    if (!removed.ok) return { kind: 'failed', reason: `removing ${arn}: ${removed.reason}` };
  }
}

/**
 * Whether the permission set in the way was left by an earlier attempt at this same break-glass
 * grant (same request, PR and user): its plan to resume, or `ended` when its window is over.
 */
function earlierAttempt(
  run: BreakGlassRun,
  j: Exclude<Judged, Refusal>,
  tags: Record<string, string>,
): { kind: 'resume'; plan: Plan } | { kind: 'ended' } | undefined {
  const { plan, facts } = j;
  const start = new Date(tags['jit:start'] ?? '');
  if (
    tags['jit:request'] !== plan.request.id ||
    tags['jit:pr'] !== String(facts.number) ||
    tags['jit:principal'] !== plan.resolved.principalArn ||
    Number.isNaN(start.getTime()) ||
    start.getTime() > run.stamp.now.getTime()
  )
    return undefined;
  const again = planRequest({
    text: j.text,
    file: j.file,
    config: run.config,
    now: start,
    pr: facts.number,
  });
  if (!again.ok) return undefined;
  if (again.value.window.expiry.getTime() <= run.stamp.now.getTime()) return { kind: 'ended' };
  return { kind: 'resume', plan: again.value };
}

function recordGrant(
  run: BreakGlassRun,
  plan: Plan,
  g: {
    pr: number;
    commentId: number;
    by: string;
    policyArn: string;
    identityCenterUserId?: string;
    headSha: string;
    due: Date;
    rule: { required: number; approvers: string[] };
  },
): Promise<string> {
  const { request, resolved } = plan;
  const record: DecisionRecord = {
    ...recordBase(g.pr, run.stamp),
    kind: 'granted',
    requestId: request.id,
    requester: request.requester,
    account: resolved.account.alias,
    accountId: resolved.account.id,
    principal: resolved.principalArn,
    policyArn: g.policyArn,
    ...(resolved.grantee.backend === 'identity-center'
      ? {
          backend: 'identity-center' as const,
          permissionSetArn: g.policyArn,
          ...(g.identityCenterUserId ? { identityCenterUserId: g.identityCenterUserId } : {}),
        }
      : {}),
    policySha256: documentSha256(plan.policy.json),
    window: { start: plan.window.start.toISOString(), expiry: plan.window.expiry.toISOString() },
    // No merge: the commit granted is the PR's head as the run read it.
    commit: g.headSha,
    headSha: g.headSha,
    approvers: [],
    created: true,
    reason: request.reason,
    ...(request.ticket ? { ticket: request.ticket } : {}),
    ...(resolved.profile ? { profile: resolved.profile } : {}),
    actions: [...new Set(resolved.statements.flatMap((s) => s.actions))].sort(),
    commentId: g.commentId,
    breakGlass: { by: g.by, retroDue: g.due.toISOString(), rule: g.rule },
  };
  return run.log.append(record);
}

/** Loud on purpose: the PR, the approvers by mention, and the notification channel. */
async function announce(
  run: BreakGlassRun,
  plan: Plan,
  g: Extract<BreakGlassAnswer, { kind: 'granted' }>,
  headSha: string,
): Promise<void> {
  const body = [
    `## 🚨 Break-glass: access granted without approval`,
    '',
    `${code(g.by)} took profile ${code(plan.resolved.profile ?? '')} in ${code(plan.resolved.account.alias)} on their own word, from ${g.window.start.toISOString()} to ${g.window.expiry.toISOString()}.`,
    `Reason given: ${code(plan.request.reason, { max: 600 })}`,
    ...(plan.permissionSet
      ? [`In the access portal, the account lists permission set ${code(plan.permissionSet.name)}.`]
      : []),
    '',
    `${mentions(g.approvers)}: review it now. Approve this PR at commit ${code(headSha.slice(0, 12))} by ${g.retroDue.toISOString()}, or the grant is ended and you are alerted again. Anyone of you may end it now with \`/revoke\`.`,
  ].join('\n');
  await run.octokit.rest.issues
    .createComment({ ...run.repo, issue_number: g.pr, body })
    .catch(() => undefined);
  await tell(run.notify, {
    kind: 'break-glass',
    pr: g.pr,
    requestId: g.requestId,
    requester: plan.request.requester,
    account: plan.resolved.account.alias,
    principal: plan.resolved.principalArn,
    reason: plan.request.reason,
    ...(plan.request.ticket ? { ticket: plan.request.ticket } : {}),
    window: { start: g.window.start.toISOString(), expiry: g.window.expiry.toISOString() },
    by: g.by,
    detail: `granted on the requester's word without approval; retro review due by ${g.retroDue.toISOString()} from ${g.approvers.join(', ')}`,
  });
}
