import type { IAMClient } from '@aws-sdk/client-iam';
import type { Octokit } from '@octokit/rest';
import type { Account, GrantBackend, GrantWindow, IdentityCenter, JitConfig } from '../domain.js';
import type { Problem } from '../problem.js';
import { applyGrant } from '../aws/iam-grant.js';
import { planPermissionSet } from '../aws/permission-set.js';
import { applySsoGrant, type IdentityCenterClients } from '../aws/sso-grant.js';
import type { PollOptions } from '../aws/sso-status.js';
import { messageOf } from '../aws/errors.js';
import { addsRequest } from '../github/changed-requests.js';
import { checkPrShape, judgeEligibility } from '../github/eligibility.js';
import { fetchPrFacts, type PrFacts } from '../github/pr-facts.js';
import { listChangedFiles, type ChangedFile, type RepoRef } from '../github/pull-request.js';
import { readRequestFile } from '../github/request-file.js';
import { TeamMemberships } from '../github/teams.js';
import { planRequestTargets, type Plan } from '../plan/plan.js';
import { documentSha256, type DecisionLog } from '../record/log.js';
import { recordBase, type Asked, type DecisionRecord, type Target } from '../record/record.js';
import { tell, type Notify, type NotifyEvent } from '../notify/event.js';
import { approvalRuleFor } from './approval-rule.js';
import { policyGrantOf } from './policy-grant.js';
import { judgeExtension, lapsedOutcome, retireExtended, type ExtensionOutcome } from './extend.js';
import { recentMergedPulls } from './candidates.js';

/** What one run decided for one request; the adapter comments and reports each. */
export type GrantDecision = (
  | {
      kind: 'granted';
      pr: number;
      requestId: string;
      plan: Plan;
      /** The managed policy (iam) or the permission set (identity-center) holding the grant. */
      policyArn: string;
      backend: GrantBackend;
      /** The Identity Center user the permission set is assigned to. */
      identityCenterUserId?: string;
      /** False when an earlier run had already created (or attached) it: converged. */
      created: boolean;
      /** Who approved, as counted at the merge. */
      approvers: string[];
      /** The merge commit the request was read at, and the reviewed head commit. */
      commit: string;
      headSha: string;
      /** Set when the request named a grant it extends (decision 025). */
      extension?: ExtensionOutcome;
    }
  | {
      kind: 'refused';
      pr: number;
      requestId?: string;
      file?: string;
      problems: Problem[];
      /** Who asked and why, when the request could be read. */
      asked?: Asked;
    }
  | { kind: 'expired'; pr: number; requestId: string; window: GrantWindow; asked?: Asked }
  /** Not decided: an outage or failure that the next run retries. Never recorded, never final. */
  | { kind: 'delayed'; pr: number; requestId?: string; code: DelayCode; error: string }
) & {
  /** Set when the decision could not be written to the decision log: the next run decides again. */
  unrecorded?: string;
  /**
   * The one account it is about, of a request that names several (decision 027): each is granted,
   * delayed or refused on its own. Absent: the decision is about the whole PR.
   */
  target?: Target;
};

/**
 * Why a decision was put off: a failed AWS or GitHub call (an outage, a throttle, a quota), or an
 * extension whose named grant is merged but not decided yet (decision 025).
 */
export type DelayCode = 'AWS_ERROR' | 'GITHUB_ERROR' | 'EXTEND_PENDING';

export interface GrantRun {
  octokit: Octokit;
  repo: RepoRef;
  defaultBranch: string;
  /** The config on the default branch now: a request must still be valid under today's rules. */
  config: JitConfig;
  now: Date;
  /** The decision log, opened (and its protection checked) by the caller. */
  log: DecisionLog;
  /** The workflow run, for the record. */
  runId?: string;
  /** IAM for an account, with the broker role's credentials (OIDC → STS in the action). */
  iamFor: (account: Account) => Promise<IAMClient>;
  /** SSO Admin and Identity Store as the Identity Center broker role, for identity-center accounts. */
  identityCenterFor?: (identityCenter: IdentityCenter) => Promise<IdentityCenterClients>;
  /** How long an assignment is polled before the run leaves it to the next. */
  poll?: PollOptions;
  /** Told of each recorded decision; bounded and never failing (src/notify). */
  notify?: Notify;
}

/**
 * One reconciling pass: every merged PR in the lookback window that the decision log has no
 * final record for is judged again from scratch and, if everything holds, granted. Each PR is
 * judged on its own: whatever goes wrong with one never stops the others.
 */
export async function reconcileGrants(run: GrantRun): Promise<GrantDecision[]> {
  const teams = new TeamMemberships(run.octokit);
  const decisions: GrantDecision[] = [];
  const decide = async (decision: GrantDecision) => {
    const recorded = await record(run, decision);
    decisions.push(recorded);
    // Only what the log holds is announced: an unrecorded decision is taken again next run.
    const event = recorded.unrecorded === undefined ? notifyEvent(recorded) : undefined;
    if (event) await tell(run.notify, event);
  };
  // Extensions are judged after every other PR of the run, so a grant merged just before its
  // extension (or delayed until this run) is granted first and can be found (decision 025).
  const extensions: { pr: number; judge: Later }[] = [];
  for (const pr of await recentMergedPulls(run.octokit, run.repo, run.defaultBranch, run.now)) {
    // Granted, revoked, expired or refused: decided for good, whatever any comment says now.
    if (run.log.index.isFinal(pr)) continue;
    let decision: GrantDecision | GrantDecision[] | Deferred | undefined;
    try {
      // A merged PR that adds no request (ordinary work, removing old requests) is never a
      // grant: its files are final once merged. Recording that keeps later runs from listing its
      // files again, so a run with nothing new costs the same however long the lookback.
      const files = await listChangedFiles(run.octokit, run.repo, pr);
      if (!files.some(addsRequest)) {
        await run.log
          .append({ ...stamp(run, pr), kind: 'skipped', reason: 'adds no request file' })
          .catch(() => undefined);
        continue;
      }
      decision = await judge(run, teams, pr, files);
    } catch (e) {
      decision = { kind: 'delayed', pr, code: 'GITHUB_ERROR', error: messageOf(e) };
    }
    if (Array.isArray(decision)) for (const d of decision) await decide(d);
    else if (decision.kind === 'deferred') extensions.push({ pr, judge: decision.judge });
    else await decide(decision);
  }
  // Oldest first, so a chain merged in one run is granted link by link.
  for (const { pr, judge: later } of extensions.sort((a, b) => a.pr - b.pr)) {
    let decision: GrantDecision;
    try {
      decision = await later(pendingIds(decisions));
    } catch (e) {
      decision = { kind: 'delayed', pr, code: 'GITHUB_ERROR', error: messageOf(e) };
    }
    await decide(decision);
  }
  return decisions;
}

/** An extension, judged but for the grant it names; `pending` says which requests are undecided. */
type Later = (pending: Pending) => Promise<GrantDecision>;
type Deferred = { kind: 'deferred'; pr: number; judge: Later };

/**
 * Whether a request id may still be granted by a later run: a PR of this run whose decision is
 * not in the log (delayed, or unrecorded). A PR delayed before its request was read could be any
 * request, so it makes every unknown id pending: the extension waits rather than being refused.
 */
export type Pending = (requestId: string) => boolean;

function pendingIds(decisions: readonly GrantDecision[]): Pending {
  const undecided = decisions.filter((d) => d.kind === 'delayed' || d.unrecorded !== undefined);
  const ids = new Set(undecided.flatMap((d) => (d.requestId ? [d.requestId] : [])));
  const unknown = undecided.some((d) => d.requestId === undefined);
  return (id) => unknown || ids.has(id);
}

async function judge(
  run: GrantRun,
  teams: TeamMemberships,
  pr: number,
  files: ChangedFile[],
): Promise<GrantDecision | GrantDecision[] | Deferred> {
  const facts = await fetchPrFacts(run.octokit, run.repo, pr, files);
  const added = facts.files.filter(addsRequest);
  const file = added.length === 1 ? added[0]!.filename : undefined;
  if (!file || !facts.mergeCommitSha || !facts.mergedAt) {
    return {
      kind: 'refused',
      pr,
      problems: checkPrShape(facts, { defaultBranch: run.defaultBranch }),
    };
  }

  // The request as merged: never the PR title, body or labels, which can change after approval.
  const read = await readRequestFile(run.octokit, run.repo, file, facts.mergeCommitSha);
  if (read.kind !== 'text') {
    const why = read.kind === 'missing' ? `${file} is not in the merge commit` : read.why;
    return { kind: 'refused', pr, file, problems: [problem('REQUEST_FILE_UNREADABLE', why)] };
  }
  const mergedAt = new Date(facts.mergedAt);
  const planned = planRequestTargets({
    text: read.text,
    file,
    config: run.config,
    now: mergedAt,
    pr,
  });
  if (!planned.ok) {
    const problems = planned.problems.map((p) => ({ ...p, code: p.code ?? 'REQUEST_INVALID' }));
    return { kind: 'refused', pr, file, problems };
  }
  // Every account shares the request's requester, window and approvals: judged once, on the
  // first; each account not yet decided is then granted on its own (decision 027).
  const { targets } = planned.value;
  const plan = targets[0]!;
  const open = targets.flatMap((t) => {
    const target = targetOf(t, targets.length);
    return !target || !run.log.index.isFinalFor(pr, target.account) ? [{ plan: t, target }] : [];
  });
  const requestId = plan.request.id;
  const asked = askedOf(plan);
  if (plan.window.expiry.getTime() <= run.now.getTime()) {
    return open.map(({ target }) => ({
      kind: 'expired' as const,
      pr,
      requestId,
      window: plan.window,
      asked,
      ...(target ? { target } : {}),
    }));
  }

  // A profile limited to teams: membership is read now, with the App's `members: read`.
  const requesterTeams = plan.resolved.requesterTeams;
  if (requesterTeams && !(await memberOfAny(teams, requesterTeams, asked.requester))) {
    const why = `profile ${plan.resolved.profile ?? ''} may be requested only by members of ${requesterTeams.join(', ')}, and ${asked.requester} is not an active member of any`;
    return {
      kind: 'refused',
      pr,
      requestId,
      file,
      problems: [problem('REQUESTER_NOT_ALLOWED', why)],
      asked,
    };
  }

  const rule = await approvalRuleFor(run.octokit, run.repo, run.defaultBranch, planned.value, file);
  if (rule.approvers.length === 0) {
    const why = `no approvers are configured for this request and CODEOWNERS names none for ${file}: nobody can approve it`;
    return {
      kind: 'refused',
      pr,
      requestId,
      file,
      problems: [problem('NO_APPROVERS', why)],
      asked,
    };
  }
  // Approvals are judged as they stood at the merge (evaluateApprovals ignores later reviews).
  const isMember = await teams.oracle(
    rule.approvers,
    facts.reviews.flatMap((r) => (r.login ? [r.login] : [])),
  );
  const eligibility = judgeEligibility(facts, {
    defaultBranch: run.defaultBranch,
    requestPath: file,
    requester: plan.request.requester,
    rule,
    isMember,
  });
  if (eligibility.problems.length > 0) {
    return { kind: 'refused', pr, requestId, file, problems: eligibility.problems, asked };
  }
  const approvers = eligibility.approvals.counted.map((c) => c.login);
  if (plan.request.extends !== undefined) {
    const extension = plan;
    return {
      kind: 'deferred',
      pr,
      judge: (pending) => extend(run, facts, extension, file, approvers, asked, pending),
    };
  }
  if (targets.length === 1) return grant(run, facts, plan, file, approvers);
  // One account's outage or conflict never stops the others: each is its own decision.
  const decisions: GrantDecision[] = [];
  for (const { plan: one, target } of open)
    decisions.push({
      ...(await grant(run, facts, one, file, approvers)),
      ...(target ? { target } : {}),
    });
  return decisions;
}

/** Which of several accounts a plan is for; undefined for a request's only account. */
const targetOf = (plan: Plan, of: number): Target | undefined =>
  of > 1 ? { account: plan.resolved.account.alias, of } : undefined;

/** Judged against the grant it names, granted like any request, then the old grant removed. */
async function extend(
  run: GrantRun,
  facts: PrFacts,
  plan: Plan,
  file: string,
  approvers: string[],
  asked: Asked,
  pending: Pending,
): Promise<GrantDecision> {
  const pr = facts.number;
  const requestId = plan.request.id;
  const judged = await judgeExtension(run, plan, pr, pending);
  if (judged.kind === 'refused')
    return { kind: 'refused', pr, requestId, file, problems: judged.problems, asked };
  if (judged.kind === 'delayed')
    return { kind: 'delayed', pr, requestId, code: judged.code, error: judged.error };
  const decision = await grant(run, facts, plan, file, approvers);
  if (decision.kind !== 'granted') return decision;
  const extension =
    judged.kind === 'lapsed'
      ? lapsedOutcome(judged)
      : await retireExtended(run, judged, plan.resolved.account, pr);
  return { ...decision, extension };
}

async function memberOfAny(
  teams: TeamMemberships,
  orgTeams: readonly string[],
  login: string,
): Promise<boolean> {
  for (const orgTeam of orgTeams) if (await teams.isActiveMember(orgTeam, login)) return true;
  return false;
}

async function grant(
  run: GrantRun,
  facts: PrFacts,
  plan: Plan,
  file: string,
  approvers: string[],
): Promise<GrantDecision> {
  const pr = facts.number;
  const requestId = plan.request.id;
  if (plan.resolved.grantee.backend === 'identity-center')
    return grantIdentityCenter(run, facts, plan, file, approvers);
  try {
    const iam = await run.iamFor(plan.resolved.account);
    const outcome = await applyGrant(iam, policyGrantOf(plan));
    if (!outcome.ok && outcome.kind === 'aws-error') {
      return { kind: 'delayed', pr, requestId, code: 'AWS_ERROR', error: outcome.reason };
    }
    if (!outcome.ok) {
      return {
        kind: 'refused',
        pr,
        requestId,
        file,
        problems: [problem('GRANT_CONFLICT', outcome.reason)],
        asked: askedOf(plan),
      };
    }
    return {
      kind: 'granted',
      pr,
      requestId,
      plan,
      policyArn: outcome.policyArn,
      backend: 'iam',
      created: outcome.created,
      approvers,
      commit: facts.mergeCommitSha ?? '',
      headSha: facts.headSha,
    };
  } catch (e) {
    // An outage is not a refusal: nothing is recorded, the PR is told, the next run retries.
    return { kind: 'delayed', pr, requestId, code: 'AWS_ERROR', error: messageOf(e) };
  }
}

/** The same judgement, granted as a permission set assigned to the person's Identity Center user. */
async function grantIdentityCenter(
  run: GrantRun,
  facts: PrFacts,
  plan: Plan,
  file: string,
  approvers: string[],
): Promise<GrantDecision> {
  const pr = facts.number;
  const requestId = plan.request.id;
  const { grantee, account } = plan.resolved;
  if (grantee.backend !== 'identity-center') throw new Error('not an Identity Center grantee');
  if (!run.identityCenterFor) {
    const error = `${account.alias} grants through Identity Center, but this run has no Identity Center client: the next run with one grants it`;
    return { kind: 'delayed', pr, requestId, code: 'AWS_ERROR', error };
  }
  try {
    const clients = await run.identityCenterFor(grantee.identityCenter);
    const outcome = await applySsoGrant(
      clients,
      planPermissionSet({
        policy: plan.policy,
        identityCenter: grantee.identityCenter,
        userName: grantee.userName,
        accountId: account.id,
        requestId,
        window: plan.window,
        now: run.now,
        pr,
      }),
      ...(run.poll ? [run.poll] : []),
    );
    if (!outcome.ok && outcome.kind === 'conflict') {
      return {
        kind: 'refused',
        pr,
        requestId,
        file,
        problems: [problem('GRANT_CONFLICT', outcome.reason)],
        asked: askedOf(plan),
      };
    }
    if (!outcome.ok)
      return { kind: 'delayed', pr, requestId, code: 'AWS_ERROR', error: outcome.reason };
    return {
      kind: 'granted',
      pr,
      requestId,
      plan,
      policyArn: outcome.permissionSetArn,
      backend: 'identity-center',
      identityCenterUserId: outcome.userId,
      created: outcome.created,
      approvers,
      commit: facts.mergeCommitSha ?? '',
      headSha: facts.headSha,
    };
  } catch (e) {
    return { kind: 'delayed', pr, requestId, code: 'AWS_ERROR', error: messageOf(e) };
  }
}

/** Writes a decision to the log; a decision that could not be written is decided again later. */
async function record(run: GrantRun, decision: GrantDecision): Promise<GrantDecision> {
  const entry = toRecord(run, decision);
  if (!entry) return decision;
  try {
    await run.log.append(entry);
    return decision;
  } catch (e) {
    return { ...decision, unrecorded: messageOf(e) };
  }
}

const stamp = (run: GrantRun, pr: number) =>
  recordBase(pr, { now: run.now, ...(run.runId ? { runId: run.runId } : {}) });

function toRecord(run: GrantRun, d: GrantDecision): DecisionRecord | undefined {
  const base = { ...stamp(run, d.pr), ...(d.target ? { target: d.target } : {}) };
  switch (d.kind) {
    case 'granted': {
      const { plan } = d;
      return {
        ...base,
        kind: 'granted',
        requestId: d.requestId,
        requester: plan.request.requester,
        account: plan.resolved.account.alias,
        accountId: plan.resolved.account.id,
        principal: plan.resolved.principalArn,
        policyArn: d.policyArn,
        ...(d.backend === 'identity-center'
          ? {
              backend: d.backend,
              permissionSetArn: d.policyArn,
              ...(d.identityCenterUserId ? { identityCenterUserId: d.identityCenterUserId } : {}),
            }
          : {}),
        policySha256: documentSha256(plan.policy.json),
        window: {
          start: plan.window.start.toISOString(),
          expiry: plan.window.expiry.toISOString(),
        },
        commit: d.commit,
        headSha: d.headSha,
        approvers: d.approvers,
        created: d.created,
        reason: plan.request.reason,
        ...(plan.request.ticket ? { ticket: plan.request.ticket } : {}),
        ...(plan.resolved.profile ? { profile: plan.resolved.profile } : {}),
        actions: [...new Set(plan.resolved.statements.flatMap((s) => s.actions))].sort(),
        ...(d.extension?.kind === 'extends'
          ? {
              extends: d.extension.of,
              extendsPr: d.extension.pr,
              chainStart: d.extension.chainStart.toISOString(),
              ...(d.extension.left ? { extendsLeft: d.extension.left } : {}),
            }
          : {}),
      };
    }
    case 'refused':
      return {
        ...base,
        kind: 'refused',
        ...(d.requestId ? { requestId: d.requestId } : {}),
        codes: [...new Set(d.problems.map((p) => p.code ?? 'REFUSED'))],
        reasons: d.problems.map((p) => p.message),
        ...(d.asked ? { asked: d.asked } : {}),
      };
    case 'expired':
      return {
        ...base,
        kind: 'expired',
        requestId: d.requestId,
        window: { start: d.window.start.toISOString(), expiry: d.window.expiry.toISOString() },
        ...(d.asked ? { asked: d.asked } : {}),
      };
    case 'delayed':
      return undefined;
  }
}

const askedOf = ({ request }: Plan): Asked => ({
  requester: request.requester,
  reason: request.reason,
  ...(request.ticket ? { ticket: request.ticket } : {}),
});

/** What a channel is told of a decision; nothing for a delay, which is not a decision. */
function notifyEvent(d: GrantDecision): NotifyEvent | undefined {
  const iso = (w: GrantWindow) => ({
    start: w.start.toISOString(),
    expiry: w.expiry.toISOString(),
  });
  switch (d.kind) {
    case 'granted':
      return {
        kind: 'granted',
        pr: d.pr,
        requestId: d.requestId,
        account: d.plan.resolved.account.alias,
        window: iso(d.plan.window),
        approvers: d.approvers,
        ...askedOf(d.plan),
      };
    case 'refused':
      return {
        kind: 'refused',
        pr: d.pr,
        ...(d.requestId ? { requestId: d.requestId } : {}),
        codes: [...new Set(d.problems.map((p) => p.code ?? 'REFUSED'))],
        detail: d.problems.map((p) => p.message).join('; '),
        ...(d.target ? { account: d.target.account } : {}),
        ...d.asked,
      };
    case 'expired':
      return {
        kind: 'expired',
        pr: d.pr,
        requestId: d.requestId,
        window: iso(d.window),
        ...(d.target ? { account: d.target.account } : {}),
        detail: 'its window ended before it could be granted',
        ...d.asked,
      };
    case 'delayed':
      return undefined;
  }
}

const problem = (code: string, message: string): Problem => ({
  path: '',
  severity: 'error',
  code,
  message,
});
