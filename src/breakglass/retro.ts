/**
 * The retro review of break-glass grants (decision 026), run by every sweep: each break-glass
 * grant the log has no retro verdict for is checked against the PR's reviews. Approved in time:
 * `retro-approved`, the grant runs to its natural end. Not approved by the deadline:
 * `retro-missed`, the approvers are alerted and the sweep ends the grant (answer.ts revokedPrs).
 */
import type { Octokit } from '@octokit/rest';
import { messageOf } from '../aws/errors.js';
import { listReviews } from '../github/reviews.js';
import type { RepoRef } from '../github/pull-request.js';
import { TeamMemberships } from '../github/teams.js';
import { tell, type Notify } from '../notify/event.js';
import { DECISION_LOG_BRANCH, type DecisionLog } from '../record/log.js';
import { recordBase, type DecisionRecord, type Stamp } from '../record/record.js';
import { code } from '../report/escape.js';
import { isBreakGlassGrant, judgeRetro, mentions } from './rules.js';

export interface RetroRun {
  octokit: Octokit;
  repo: RepoRef;
  log: DecisionLog;
  stamp: Stamp;
  notify?: Notify;
  /** The log branch the granted records are read from. */
  logBranch?: string;
}

export type RetroOutcome =
  | { kind: 'approved'; pr: number; approvers: string[] }
  | { kind: 'missed'; pr: number; approvers: string[]; summary: string }
  | { kind: 'failed'; pr: number; error: string };

type Granted = Extract<DecisionRecord, { kind: 'granted' }>;

/** Break-glass grants still owing their retro review, oldest PR first. */
export function owingRetro(log: DecisionLog): { pr: number; path: string }[] {
  const owing: { pr: number; path: string }[] = [];
  for (const pr of log.index.prs()) {
    const entries = log.index.entries(pr);
    const granted = entries.find(isBreakGlassGrant);
    if (!granted) continue;
    if (entries.some((e) => e.kind === 'retro-approved' || e.kind === 'retro-missed')) continue;
    owing.push({ pr, path: granted.path });
  }
  return owing;
}

export async function reviewBreakGlass(run: RetroRun): Promise<RetroOutcome[]> {
  const teams = new TeamMemberships(run.octokit);
  const outcomes: RetroOutcome[] = [];
  for (const { pr, path } of owingRetro(run.log)) {
    try {
      const granted = await readGranted(run, path);
      const bg = granted.breakGlass;
      if (!bg) throw new Error(`${path} has no breakGlass block`);
      const reviews = await listReviews(run.octokit, run.repo, pr);
      const verdict = judgeRetro({
        requester: granted.requester,
        headSha: granted.headSha,
        reviews,
        rule: bg.rule,
        isMember: await teams.oracle(
          bg.rule.approvers,
          reviews.flatMap((r) => (r.login ? [r.login] : [])),
        ),
        due: new Date(bg.retroDue),
        now: run.stamp.now,
      });
      if (verdict.kind === 'pending') continue;
      const base = { ...recordBase(pr, run.stamp), requestId: granted.requestId };
      const approvers = verdict.approvals.counted.map((c) => c.login);
      if (verdict.kind === 'approved') {
        await run.log.append({ ...base, kind: 'retro-approved', approvers });
        await comment(
          run,
          pr,
          `Break-glass retro review: approved by ${approvers.map((a) => code(a)).join(', ')}. The grant runs to its end.`,
        );
        outcomes.push({ kind: 'approved', pr, approvers });
        continue;
      }
      const summary = verdict.approvals.summary;
      // Recorded before anything else: from here the sweep ends the grant whatever fails next.
      await run.log.append({ ...base, kind: 'retro-missed', due: bg.retroDue, summary });
      await comment(
        run,
        pr,
        [
          `## 🚨 Break-glass retro review missed`,
          '',
          `${mentions(bg.rule.approvers)}: ${code(bg.by)} took ${code(granted.profile ?? granted.requestId)} in ${code(granted.account)} on their own word, and commit ${code(granted.headSha.slice(0, 12))} was not approved by ${bg.retroDue} (${code(summary, { max: 400 })}).`,
          'Whatever is left of the grant is ended now; find out what was done with it (the usage report follows its removal).',
        ].join('\n'),
      );
      await tell(run.notify, {
        kind: 'break-glass',
        pr,
        requestId: granted.requestId,
        requester: granted.requester,
        account: granted.account,
        principal: granted.principal,
        window: granted.window,
        by: bg.by,
        detail: `retro review missed: not approved by ${bg.retroDue} (${summary}); the grant is ended, ${bg.rule.approvers.join(', ')} alerted`,
      });
      outcomes.push({ kind: 'missed', pr, approvers: bg.rule.approvers, summary });
    } catch (e) {
      outcomes.push({ kind: 'failed', pr, error: messageOf(e) });
    }
  }
  return outcomes;
}

async function readGranted(run: RetroRun, path: string): Promise<Granted> {
  const { data } = await run.octokit.rest.repos.getContent({
    ...run.repo,
    path,
    ref: run.logBranch ?? DECISION_LOG_BRANCH,
  });
  if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
    throw new Error(`${path} is not a file on the decision log`);
  const record = JSON.parse(Buffer.from(data.content, 'base64').toString('utf8')) as DecisionRecord;
  if (record.kind !== 'granted') throw new Error(`${path} is not a granted record`);
  return record;
}

const comment = (run: RetroRun, pr: number, body: string): Promise<unknown> =>
  run.octokit.rest.issues
    .createComment({ ...run.repo, issue_number: pr, body })
    .catch(() => undefined);
