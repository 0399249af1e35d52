import type { Octokit } from '@octokit/rest';
import type { JitConfig } from '../domain.js';
import { addsRequest } from '../github/changed-requests.js';
import { fetchPrFacts } from '../github/pr-facts.js';
import type { RepoRef } from '../github/pull-request.js';
import { readRequestFile } from '../github/request-file.js';
import { TeamMemberships } from '../github/teams.js';
import { approvalRuleFor } from '../grant/approval-rule.js';
import { planRequest } from '../plan/plan.js';
import type { LogIndex } from '../record/index.js';
import { DECISION_LOG_BRANCH } from '../record/log.js';
import type { DecisionRecord } from '../record/record.js';
import { code } from '../report/escape.js';
import { judgeEarlyRevoke, type EarlyRevoke } from './early.js';

/** A `/revoke` comment on a granted PR that no run has answered yet. */
export interface RevokeRequest {
  pr: number;
  commentId: number;
  by: string;
  /** Why it is not honoured, when it cannot be (an edited comment); judged otherwise. */
  verdict: EarlyRevoke;
  requestId?: string;
  /**
   * The PR the comment was written on, when it is not `pr`: a `/revoke` on a grant that was
   * extended is answered on the chain's live grant, where it is recorded (decision 025).
   */
  on?: number;
}

/** How many links back from a live grant its extension chain is followed for `/revoke`s. */
export const CHAIN_LINKS_READ = 10;

export const isRevokeCommand = (body: string | null | undefined): boolean =>
  /^\/revoke(?:\s|$)/.test((body ?? '').trim());

export interface RevokeScan {
  octokit: Octokit;
  repo: RepoRef;
  defaultBranch: string;
  config: JitConfig;
  index: LogIndex;
  /** Judges a request still open (a break-glass grant, decision 026); the clock when absent. */
  now?: Date;
  /**
   * The PR this run's `/revoke` comment was written on. When its grant has ended (and with it
   * every grant of its chain), nothing else reads its comments: it is answered from here.
   */
  commented?: number;
}

/**
 * Every unanswered `/revoke` on a PR whose grant is live, found by the sweep itself: the run the
 * comment triggered may have been cancelled by the concurrency group, so no `/revoke` depends on
 * its own event. A PR that cannot be read is reported and asked again next run.
 */
export async function pendingRevokes(
  scan: RevokeScan,
): Promise<{ requests: RevokeRequest[]; failures: { pr: number; error: unknown }[] }> {
  const teams = new TeamMemberships(scan.octokit);
  const requests: RevokeRequest[] = [];
  const failures: { pr: number; error: unknown }[] = [];
  for (const pr of scan.index.liveGrants()) {
    if (scan.index.has(pr, 'revoked')) continue;
    try {
      const forwarded = await chainRevokes(scan, teams, pr);
      requests.push(...forwarded);
      if (forwarded.some((r) => r.verdict.allowed)) continue;
      const comments = await scan.octokit.paginate(scan.octokit.rest.issues.listComments, {
        ...scan.repo,
        issue_number: pr,
        per_page: 100,
      });
      const asked = comments.filter(
        (c) => isRevokeCommand(c.body) && c.user && !scan.index.answered(pr, c.id),
      );
      if (asked.length === 0) continue;
      const judge = await authorityFor(
        scan,
        teams,
        pr,
        asked.flatMap((c) => (c.user ? [c.user.login] : [])),
      );
      for (const c of asked) {
        const by = c.user!.login;
        // Anyone with write access can edit anyone's comment: an edited `/revoke` could put words
        // in an approver's mouth, so only a comment as it was first written counts.
        const verdict: EarlyRevoke =
          c.updated_at !== c.created_at
            ? { allowed: false, reason: 'an edited comment is not honoured; post /revoke anew' }
            : judge.mergedAt !== undefined && Date.parse(c.created_at) < judge.mergedAt
              ? { allowed: false, reason: 'it was written before the request was granted' }
              : judge.verdict(by);
        requests.push({
          pr,
          commentId: c.id,
          by,
          verdict,
          ...(judge.requestId ? { requestId: judge.requestId } : {}),
        });
        if (verdict.allowed) break;
      }
    } catch (error) {
      failures.push({ pr, error });
    }
  }
  const ended = scan.commented;
  if (ended !== undefined && scan.index.has(ended, 'granted') && scan.index.has(ended, 'removed')) {
    try {
      const answered = new Set(requests.map((r) => r.commentId));
      requests.push(...(await endedRevokes(scan, ended, answered)));
    } catch (error) {
      failures.push({ pr: ended, error });
    }
  }
  return { requests, failures };
}

/**
 * `/revoke`s on a PR whose grant has ended, answered with where its chain stands: nothing to
 * end when no grant of the chain is live (decision 025). A chain whose live grant is found is
 * left to the live grant's own reading, which answers it.
 */
async function endedRevokes(
  scan: RevokeScan,
  pr: number,
  answeredNow: ReadonlySet<number>,
): Promise<RevokeRequest[]> {
  const comments = await scan.octokit.paginate(scan.octokit.rest.issues.listComments, {
    ...scan.repo,
    issue_number: pr,
    per_page: 100,
  });
  const asked = comments.filter(
    (c) =>
      isRevokeCommand(c.body) && c.user && !answeredNow.has(c.id) && !scan.index.answered(pr, c.id),
  );
  if (asked.length === 0) return [];
  const state = await chainState(scan, pr);
  if (state === undefined) return [];
  const reason = `nothing to end: ${state}`;
  return asked.map((c) => ({
    pr,
    commentId: c.id,
    by: c.user!.login,
    verdict: { allowed: false, reason },
  }));
}

/**
 * How the chain from `pr` on ended, following each `removed` record's `extendedBy`; undefined when
 * a later grant of the chain is live (and not revoked already).
 */
async function chainState(scan: RevokeScan, pr: number): Promise<string | undefined> {
  const steps: string[] = [];
  let at = pr;
  for (let link = 0; link < CHAIN_LINKS_READ; link++) {
    const removed = scan.index.entries(at).find((e) => e.kind === 'removed');
    if (!removed) {
      if (!scan.index.has(at, 'revoked')) return undefined;
      return [
        ...steps,
        `#${at}, where the access lives, is revoked already and is being removed`,
      ].join(', ');
    }
    const record = await readRecord(scan, removed.path);
    if (record?.kind !== 'removed') return undefined;
    if (record.reason === 'extended' && record.extendedBy !== undefined) {
      steps.push(`#${at} was extended by #${record.extendedBy}`);
      at = record.extendedBy;
      continue;
    }
    const how = record.reason === 'early' ? 'was revoked early' : 'ended at the end of its window';
    return [...steps, `#${at} ${how}`].join(', ') + '; no grant of this chain is live';
  }
  return undefined;
}

async function readRecord(scan: RevokeScan, path: string): Promise<DecisionRecord | undefined> {
  const { data } = await scan.octokit.rest.repos.getContent({
    ...scan.repo,
    path,
    ref: DECISION_LOG_BRANCH,
  });
  if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
  return JSON.parse(Buffer.from(data.content, 'base64').toString('utf8')) as DecisionRecord;
}

/**
 * `/revoke`s written on the grants a live grant extends (its chain, newest first): the access now
 * lives on `live`, so they are judged against it. The commenter needs the authority to end both
 * the grant they wrote on and the live one (same requester, or an approver of each), and a
 * comment written before the older grant's merge does not count. Answered once: a comment id
 * recorded on any PR of the chain is not read again.
 */
async function chainRevokes(
  scan: RevokeScan,
  teams: TeamMemberships,
  live: number,
): Promise<RevokeRequest[]> {
  const chain = await olderLinks(scan, live);
  const answered = (id: number) => [live, ...chain].some((pr) => scan.index.answered(pr, id));
  const out: RevokeRequest[] = [];
  for (const old of chain) {
    const comments = await scan.octokit.paginate(scan.octokit.rest.issues.listComments, {
      ...scan.repo,
      issue_number: old,
      per_page: 100,
    });
    const asked = comments.filter((c) => isRevokeCommand(c.body) && c.user && !answered(c.id));
    if (asked.length === 0) continue;
    const logins = asked.flatMap((c) => (c.user ? [c.user.login] : []));
    const before = await authorityFor(scan, teams, old, logins);
    const now = await authorityFor(scan, teams, live, logins);
    for (const c of asked) {
      const by = c.user!.login;
      const own = before.verdict(by);
      const verdict: EarlyRevoke =
        c.updated_at !== c.created_at
          ? { allowed: false, reason: 'an edited comment is not honoured; post /revoke anew' }
          : before.mergedAt !== undefined && Date.parse(c.created_at) < before.mergedAt
            ? { allowed: false, reason: 'it was written before the request was granted' }
            : !own.allowed
              ? own
              : now.verdict(by);
      out.push({
        pr: live,
        on: old,
        commentId: c.id,
        by,
        verdict,
        ...(now.requestId ? { requestId: now.requestId } : {}),
      });
      if (verdict.allowed) return out;
    }
  }
  return out;
}

/** The PRs a live grant extends, newest first, from the `extendsPr` of each `granted` record. */
async function olderLinks(scan: RevokeScan, live: number): Promise<number[]> {
  const links: number[] = [];
  let pr = live;
  while (links.length < CHAIN_LINKS_READ) {
    const entry = scan.index.entries(pr).find((e) => e.kind === 'granted');
    if (!entry) break;
    const record = await readRecord(scan, entry.path);
    const older = record?.kind === 'granted' ? record.extendsPr : undefined;
    if (older === undefined || older === live || links.includes(older)) break;
    links.push(older);
    pr = older;
  }
  return links;
}

/** The reply to a `/revoke` not honoured, or forwarded to the live grant of its chain. */
export function revokeReply(r: RevokeRequest): string | undefined {
  const link = r.on !== undefined ? ` This grant was extended: its access lives on #${r.pr}.` : '';
  if (!r.verdict.allowed)
    return `Sorry ${code(r.by)}: ${code(r.verdict.reason)}.${link} Nothing was revoked.`;
  if (r.on === undefined) return undefined;
  const id = r.requestId ? ` ${code(r.requestId)}` : '';
  return `${code(r.by)}: this grant was extended by #${r.pr}, where the access now lives: that grant${id} is revoked, recorded on #${r.pr}.`;
}

/** Who may revoke this PR's grant: read from the request as merged and today's config. */
async function authorityFor(
  scan: RevokeScan,
  teams: TeamMemberships,
  pr: number,
  commenters: string[],
): Promise<{ verdict: (by: string) => EarlyRevoke; requestId?: string; mergedAt?: number }> {
  const facts = await fetchPrFacts(scan.octokit, scan.repo, pr);
  const added = facts.files.filter(addsRequest);
  const file = added.length === 1 ? added[0]!.filename : undefined;
  const mergedAt = facts.mergedAt ? Date.parse(facts.mergedAt) : undefined;
  let approvers: string[] = [];
  let requestId: string | undefined;
  // A break-glass grant is of an open PR: its approvers are read from the PR's head.
  const at = facts.mergedAt ? facts.mergeCommitSha : facts.headSha;
  if (file && at) {
    const read = await readRequestFile(scan.octokit, scan.repo, file, at);
    if (read.kind === 'text') {
      const plan = planRequest({
        text: read.text,
        file,
        config: scan.config,
        now: facts.mergedAt ? new Date(facts.mergedAt) : (scan.now ?? new Date()),
        pr,
      });
      if (plan.ok) {
        requestId = plan.value.request.id;
        approvers = (
          await approvalRuleFor(scan.octokit, scan.repo, scan.defaultBranch, plan.value, file)
        ).approvers;
      }
    }
  }
  const isMember = await teams.oracle(approvers, commenters);
  return {
    verdict: (by) => judgeEarlyRevoke(by, { requester: facts.author, approvers, isMember }),
    ...(requestId ? { requestId } : {}),
    ...(mergedAt !== undefined ? { mergedAt } : {}),
  };
}
