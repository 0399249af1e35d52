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
import { judgeEarlyRevoke, type EarlyRevoke } from './early.js';

/** A `/revoke` comment on a granted PR that no run has answered yet. */
export interface RevokeRequest {
  pr: number;
  commentId: number;
  by: string;
  /** Why it is not honoured, when it cannot be (an edited comment); judged otherwise. */
  verdict: EarlyRevoke;
  requestId?: string;
}

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
  return { requests, failures };
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
