import { issueCommentEvent } from '../../emulators/github/events.js';
import { REPO, requestFile, run, scheduled, type World, REVOKE } from '../e2e/world.js';

/** A request PR by `author`, reviewed by `approvers`, merged a minute later. */
export function approvedAndMerged(
  w: World,
  opts: { author: string; file: string; approvers?: string[]; text?: string },
): number {
  const pr = w.gh.state.openPullRequest(REPO, {
    author: opts.author,
    headFiles: { [opts.file]: opts.text ?? requestFile(opts.author) },
  });
  for (const user of opts.approvers ?? ['sre-bob'])
    w.gh.state.review(REPO, pr.number, { user, state: 'APPROVED' });
  w.aws.clock.advance(60_000);
  w.gh.state.merge(REPO, pr.number, { by: 'sre-bob' });
  w.aws.clock.advance(30_000);
  return pr.number;
}

/** Someone comments `/revoke`; the revoke workflow runs for that comment. */
export async function commentRevoke(w: World, pr: number, user: string) {
  const c = w.gh.state.comment(REPO, pr, { user, body: '/revoke' });
  const result = await run(
    w,
    'revoke',
    { payload: issueCommentEvent(w.gh, c.id), name: 'issue_comment' },
    REVOKE,
  );
  return { comment: c, result };
}

export const sweep = (w: World) => run(w, 'revoke', scheduled(w), REVOKE);

/** The record kinds on the decision log for a PR, oldest first, read from the branch itself. */
export function recordsOf(w: World, pr: number): string[] {
  const repo = w.gh.state.repo(REPO);
  if (!repo.branches.has('jit-log')) return [];
  return [...w.gh.state.resolveRef(REPO, 'jit-log').files.keys()]
    .filter((p) => p.startsWith(`pr/${pr}/`))
    .sort()
    .map((p) => /^pr\/\d+\/\d+-([a-z-]+?)(?:-c\d+)?\.json$/.exec(p)?.[1] ?? p);
}
