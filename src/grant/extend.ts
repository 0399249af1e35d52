/**
 * Extending a live grant (decisions 025, 032): a request with `extends: <id>` is judged like any
 * other, then checked against the grant it names, from the decision log and from IAM or Identity
 * Center. Its window starts at the merge, before the old one ends, so there is no gap; once the
 * new policy is attached (or the new permission set assigned), the old one is removed, so no
 * overlap outlives the old window.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { Octokit } from '@octokit/rest';
import type { Account, GrantBackend, GrantWindow, IdentityCenter, JitConfig } from '../domain.js';
import type { Problem } from '../problem.js';
import { policyArn } from '../aws/arn.js';
import { isAwsError, messageOf } from '../aws/errors.js';
import { revokePolicy, type RevokeOutcome } from '../aws/iam-revoke.js';
import { policyTags } from '../aws/policy-read.js';
import type { IdentityCenterClients } from '../aws/sso-grant.js';
import { listJitPermissionSets, revokePermissionSet } from '../aws/sso-revoke.js';
import type { PollOptions } from '../aws/sso-status.js';
import type { RepoRef } from '../github/pull-request.js';
import type { Plan } from '../plan/plan.js';
import { POLICY_PATH, policyName } from '../policy/build.js';
import { DECISION_LOG_BRANCH, type DecisionLog } from '../record/log.js';
import type { DecisionRecord, Stamp } from '../record/record.js';
import { recordBase } from '../record/record.js';
import { formatDuration } from '../request/duration.js';

/** How many granted PRs are read to find a grant whose policy is already gone. */
export const GRANTED_SCAN_LIMIT = 50;

// ---- the arithmetic ------------------------------------------------------------------------

/** The longest a chain may run for this profile (custom permissions when absent). */
export function chainCapMinutes(config: JitConfig, profile: string | undefined): number {
  const limits =
    profile !== undefined && Object.hasOwn(config.profiles, profile)
      ? config.profiles[profile]!
      : config.custom;
  return limits.maxChainMinutes ?? limits.maxDurationMinutes * 3;
}

export type ChainVerdict =
  /** The new window starts before the old one ends and the chain stays within its cap. */
  | { kind: 'extends'; chainStart: Date }
  /** The old grant had ended when the extension was merged: it is granted as a new chain. */
  | { kind: 'lapsed' }
  | { kind: 'too-long'; message: string };

/**
 * Where the new window stands against the grant it extends. `chainStart` is when the first grant
 * of the chain began; the total from there to the new expiry must not exceed `capMinutes`.
 */
export function judgeChain(input: {
  old: GrantWindow;
  chainStart: Date;
  window: GrantWindow;
  capMinutes: number;
}): ChainVerdict {
  const { old, chainStart, window, capMinutes } = input;
  if (window.start.getTime() >= old.expiry.getTime()) return { kind: 'lapsed' };
  const totalMinutes = (window.expiry.getTime() - chainStart.getTime()) / 60_000;
  if (totalMinutes <= capMinutes) return { kind: 'extends', chainStart };
  const used = Math.ceil((window.start.getTime() - chainStart.getTime()) / 60_000);
  const left = capMinutes - used;
  const ask =
    left >= 15
      ? `ask for ${formatDuration(left)} or less`
      : 'the chain is spent: open a new request (not an extension) if access is still needed';
  return {
    kind: 'too-long',
    message: `the chain would run ${formatDuration(Math.ceil(totalMinutes))} from ${chainStart.toISOString()}, over its ${formatDuration(capMinutes)} cap (maxChain): ${ask}`,
  };
}

// ---- judging against the log and IAM --------------------------------------------------------

/** The grant an extension names, as the decision log recorded it. */
export interface ExtendedGrant {
  requestId: string;
  pr: number;
  /** The managed policy (iam) or the permission set (identity-center) holding the old grant. */
  policyArn: string;
  backend: GrantBackend;
  /** Its tags as read now; the sweep's removal of a permission set needs `jit:account`. */
  tags: Record<string, string>;
  window: GrantWindow;
  chainStart: Date;
  /** The old policy or permission set is still there and must be removed after the new one. */
  inPlace: boolean;
}

export type ExtensionJudgement =
  | { kind: 'extends'; of: ExtendedGrant; chainStart: Date }
  | { kind: 'lapsed'; of: ExtendedGrant }
  | { kind: 'refused'; problems: Problem[] }
  | { kind: 'delayed'; code: 'AWS_ERROR' | 'GITHUB_ERROR' | 'EXTEND_PENDING'; error: string };

/** What the granted decision says of the extension, for the record and the comment. */
export type ExtensionOutcome =
  | {
      kind: 'extends';
      of: string;
      pr: number;
      chainStart: Date;
      /** Why the old policy was left for the sweep (it stops working at its own expiry anyway). */
      left?: string;
    }
  | { kind: 'lapsed'; of: string; pr: number; endedAt: Date };

export interface ExtendRun {
  octokit: Octokit;
  repo: RepoRef;
  config: JitConfig;
  now: Date;
  log: DecisionLog;
  iamFor: (account: Account) => Promise<IAMClient>;
  /** SSO Admin as the Identity Center broker role, for identity-center accounts. */
  identityCenterFor?: (identityCenter: IdentityCenter) => Promise<IdentityCenterClients>;
  /** How long an assignment's removal is polled before it is left for the sweep. */
  poll?: PollOptions;
}

type Granted = Extract<DecisionRecord, { kind: 'granted' }>;
type Removed = Extract<DecisionRecord, { kind: 'removed' }>;

/**
 * Whether `plan` (merged as PR `pr`) may extend the grant it names. The log says what was granted
 * and whether it ended; IAM says whether the policy is still the one recorded.
 */
export async function judgeExtension(
  run: ExtendRun,
  plan: Plan,
  pr: number,
  pending: (requestId: string) => boolean = () => false,
): Promise<ExtensionJudgement> {
  const oldId = plan.request.extends;
  if (oldId === undefined) throw new Error('not an extension');
  try {
    const located = await locate(run, plan, oldId, pr);
    if (located.kind === 'delayed') return located;
    const found = await findGranted(run, oldId, pr, located.taggedPr);
    // Its PR is merged but not decided yet (delayed, or its record not written): wait for it.
    if (!found && pending(oldId))
      return {
        kind: 'delayed',
        code: 'EXTEND_PENDING',
        error: `${oldId} is merged but not granted yet: this extension is judged again once it is`,
      };
    if (!found)
      return refused(
        'EXTEND_NOT_FOUND',
        `the decision log has no grant of ${oldId}: extends must name one of your grants that jit-access granted`,
      );
    const { record: old, pr: oldPr } = found;
    if (old.requester.toLowerCase() !== plan.request.requester.toLowerCase())
      return refused(
        'EXTEND_NOT_YOURS',
        `${oldId} was granted to ${old.requester}, not ${plan.request.requester}: you can only extend your own grant`,
      );
    const mismatch = differs(old, plan);
    if (mismatch) return refused('EXTEND_MISMATCH', mismatch);

    const removed = await removal(run, oldPr);
    if (run.log.index.has(oldPr, 'revoked') || removed?.reason === 'early')
      return refused(
        'EXTEND_REVOKED',
        `${oldId} was revoked: a revoked grant is not extended; open a new request if access is still needed`,
      );
    if (removed?.reason === 'extended' && removed.extendedBy !== pr)
      return refused(
        'EXTEND_ALREADY_EXTENDED',
        `${oldId} was already extended by PR #${removed.extendedBy ?? '?'}: extend that grant instead`,
      );

    const { arn, tags } = located.held(old);
    const oldWindow = { start: new Date(old.window.start), expiry: new Date(old.window.expiry) };
    const chainStart = new Date(old.chainStart ?? old.window.start);
    const of: ExtendedGrant = {
      requestId: oldId,
      pr: oldPr,
      policyArn: arn,
      backend: plan.resolved.grantee.backend,
      tags: tags ?? {},
      window: oldWindow,
      chainStart,
      inPlace: tags !== undefined,
    };
    const verdict = judgeChain({
      old: oldWindow,
      chainStart,
      window: plan.window,
      capMinutes: chainCapMinutes(run.config, plan.resolved.profile),
    });
    if (verdict.kind === 'lapsed') return { kind: 'lapsed', of };
    if (verdict.kind === 'too-long') return refused('EXTEND_CHAIN_TOO_LONG', verdict.message);

    const where = of.backend === 'iam' ? 'IAM' : 'Identity Center';
    if (tags) {
      const wrong = tagMismatch(tags, oldId, plan.resolved.principalArn, oldWindow, where);
      if (wrong) return refused('EXTEND_MISMATCH', wrong);
    } else if (!removed && oldWindow.expiry.getTime() > run.now.getTime()) {
      // Nothing in the log ended it, yet it is gone: someone removed it by hand.
      return refused(
        'EXTEND_NOT_LIVE',
        `${arn} is not in ${where} although ${oldId}'s window runs until ${oldWindow.expiry.toISOString()}: it was removed outside jit-access; open a new request instead`,
      );
    }
    return { kind: 'extends', of, chainStart };
  } catch (e) {
    // The AWS SDK's errors carry $metadata; anything else came from reading the log.
    const code =
      typeof e === 'object' && e !== null && '$metadata' in e ? 'AWS_ERROR' : 'GITHUB_ERROR';
    return { kind: 'delayed', code, error: messageOf(e) };
  }
}

/** Where the old grant is held now: its arn and tags, or no tags when it is gone. */
type Held = { arn: string; tags: Record<string, string> | undefined };

/**
 * Where to look for the grant an extension names, before the log is read: the `jit:pr` tag of
 * the policy (IAM, named by request id) or of the permission set tagged with that request id
 * (Identity Center, named by request id and PR). The log's record then says which one it is.
 */
async function locate(
  run: ExtendRun,
  plan: Plan,
  oldId: string,
  pr: number,
): Promise<
  | { kind: 'located'; taggedPr: string | undefined; held: (old: Granted) => Held }
  | Extract<ExtensionJudgement, { kind: 'delayed' }>
> {
  const { account, grantee } = plan.resolved;
  if (grantee.backend === 'iam') {
    const arn = policyArn(account.id, POLICY_PATH, policyName(oldId));
    const tags = await tagsOrGone(await run.iamFor(account), arn);
    return { kind: 'located', taggedPr: tags?.['jit:pr'], held: () => ({ arn, tags }) };
  }
  const ic = grantee.identityCenter;
  if (!run.identityCenterFor)
    return {
      kind: 'delayed',
      code: 'AWS_ERROR',
      error: `${account.alias} grants through Identity Center, but this run has no Identity Center client: the next run with one judges this extension`,
    };
  const { ssoAdmin } = await run.identityCenterFor(ic);
  const sets = await listJitPermissionSets(ssoAdmin, ic.instanceArn);
  const unreadable = sets.find((s) => s.unreadable !== undefined);
  // An unreadable set may be the old grant: judged without it, it would look removed by hand.
  if (unreadable)
    return {
      kind: 'delayed',
      code: 'AWS_ERROR',
      error: `reading the tags of ${unreadable.arn}: ${unreadable.unreadable ?? ''}`,
    };
  const tagged = sets.find((s) => s.requestId === oldId && s.tags['jit:pr'] !== String(pr));
  return {
    kind: 'located',
    taggedPr: tagged?.tags['jit:pr'],
    held: (old) => {
      const arn = old.permissionSetArn ?? old.policyArn;
      return { arn, tags: sets.find((s) => s.arn === arn)?.tags };
    },
  };
}

/**
 * Removes the extended grant's policy once the new one is attached (or its permission set, with
 * its assignments, once the new one is assigned), and records the removal on the old PR. A
 * failure leaves it for the sweep, which deletes it at its own expiry.
 */
export async function retireExtended(
  run: ExtendRun & { runId?: string },
  judged: Extract<ExtensionJudgement, { kind: 'extends' }>,
  account: Account,
  pr: number,
): Promise<ExtensionOutcome> {
  const outcome = {
    kind: 'extends' as const,
    of: judged.of.requestId,
    pr: judged.of.pr,
    chainStart: judged.chainStart,
  };
  if (!judged.of.inPlace) return outcome;
  try {
    const revoked = await removeOld(run, judged.of, account);
    if (!revoked.ok) return { ...outcome, left: revoked.reason };
    if (revoked.alreadyGone) return outcome;
    const stamp: Stamp = { now: run.now, ...(run.runId ? { runId: run.runId } : {}) };
    await run.log.append({
      ...recordBase(judged.of.pr, stamp),
      kind: 'removed',
      requestId: judged.of.requestId,
      policyArn: judged.of.policyArn,
      reason: 'extended',
      extendedBy: pr,
      detached: revoked.detached,
    });
    return outcome;
  } catch (e) {
    return { ...outcome, left: messageOf(e) };
  }
}

async function removeOld(
  run: ExtendRun,
  old: ExtendedGrant,
  account: Account,
): Promise<RevokeOutcome> {
  if (old.backend === 'iam') return revokePolicy(await run.iamFor(account), old.policyArn);
  const ic = account.backend === 'identity-center' ? run.config.identityCenter : undefined;
  if (!ic || !run.identityCenterFor) throw new Error('this run has no Identity Center client');
  const { ssoAdmin } = await run.identityCenterFor(ic);
  // Each assignment's deletion is followed to its end; one still in progress is left for the sweep.
  return revokePermissionSet(
    ssoAdmin,
    ic.instanceArn,
    { arn: old.policyArn, tags: old.tags },
    run.poll,
  );
}

/** A lapsed extension is granted as a new chain: the comment says which grant had ended. */
export const lapsedOutcome = (
  judged: Extract<ExtensionJudgement, { kind: 'lapsed' }>,
): ExtensionOutcome => ({
  kind: 'lapsed',
  of: judged.of.requestId,
  pr: judged.of.pr,
  endedAt: judged.of.window.expiry,
});

const refused = (code: string, message: string): ExtensionJudgement => ({
  kind: 'refused',
  problems: [{ path: 'extends', severity: 'error', code, message }],
});

async function tagsOrGone(
  iam: IAMClient,
  arn: string,
): Promise<Record<string, string> | undefined> {
  try {
    return await policyTags(iam, arn);
  } catch (e) {
    if (isAwsError(e, 'NoSuchEntity')) return undefined;
    throw e;
  }
}

/**
 * The `granted` record of `requestId`: on the PR its policy's `jit:pr` tag names, else (the policy
 * is gone) among the most recent granted PRs before this one. The log is the authority: a tag
 * only says where to look.
 */
async function findGranted(
  run: ExtendRun,
  requestId: string,
  pr: number,
  taggedPr: string | undefined,
): Promise<{ record: Granted; pr: number } | undefined> {
  const tagged = Number(taggedPr);
  const candidates = Number.isInteger(tagged) && tagged > 0 && tagged !== pr ? [tagged] : [];
  candidates.push(
    ...run.log.index
      .prsWith('granted')
      .filter((n) => n !== pr && n !== tagged)
      .slice(0, GRANTED_SCAN_LIMIT),
  );
  for (const candidate of candidates) {
    const record = await readRecord(run, candidate, 'granted');
    if (record?.kind === 'granted' && record.requestId === requestId)
      return { record, pr: candidate };
  }
  return undefined;
}

async function removal(run: ExtendRun, pr: number): Promise<Removed | undefined> {
  const record = await readRecord(run, pr, 'removed');
  return record?.kind === 'removed' ? record : undefined;
}

/** The first record of `kind` on a PR, read from the log branch. */
async function readRecord(
  run: ExtendRun,
  pr: number,
  kind: DecisionRecord['kind'],
): Promise<DecisionRecord | undefined> {
  const entry = run.log.index.entries(pr).find((e) => e.kind === kind);
  if (!entry) return undefined;
  const { data } = await run.octokit.rest.repos.getContent({
    ...run.repo,
    path: entry.path,
    ref: DECISION_LOG_BRANCH,
  });
  if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
  return JSON.parse(Buffer.from(data.content, 'base64').toString('utf8')) as DecisionRecord;
}

/** Same account, same access: an extension prolongs a grant, it never changes what it grants. */
function differs(old: Granted, plan: Plan): string | undefined {
  const { account, profile } = plan.resolved;
  if (old.account !== account.alias)
    return `${old.requestId} is for account ${old.account}, not ${account.alias}: an extension keeps the account`;
  if ((old.profile ?? undefined) !== profile)
    return `${old.requestId} granted ${old.profile ? `profile ${old.profile}` : 'custom permissions'}, not ${profile ? `profile ${profile}` : 'custom permissions'}: an extension keeps what was granted`;
  const backend = plan.resolved.grantee.backend;
  if ((old.backend ?? 'iam') !== backend)
    return `${old.requestId} was granted through ${old.backend === 'identity-center' ? 'Identity Center' : 'IAM'}, and ${account.alias} now grants through ${backend === 'identity-center' ? 'Identity Center' : 'IAM'}: an extension keeps how it was granted; open a new request instead`;
  return undefined;
}

/**
 * The policy in IAM (or the permission set in Identity Center) is the recorded grant: same
 * request, principal (an Identity Center user name) and expiry.
 */
function tagMismatch(
  tags: Record<string, string>,
  requestId: string,
  principalArn: string,
  window: GrantWindow,
  where: string,
): string | undefined {
  const expiry = Date.parse(tags['jit:expiry'] ?? '');
  if (tags['jit:request'] !== requestId || tags['jit:principal'] !== principalArn)
    return `the policy for ${requestId} in ${where} is tagged for ${tags['jit:request'] ?? '(none)'} and ${tags['jit:principal'] ?? '(none)'}, not this grant: refusing to extend it`;
  if (expiry !== window.expiry.getTime())
    return `the policy for ${requestId} in ${where} expires at ${tags['jit:expiry'] ?? '(none)'}, not ${window.expiry.toISOString()} as recorded: refusing to extend it`;
  return undefined;
}
