import type { ChangedFile, GitHubState, PullRequest, Review } from '../state.js';
import { authorAssociation } from './association.js';
import { blobSha } from './contents.js';
import { iso, repository } from './repos.js';
import { team } from './teams.js';
import { WEB, nodeId, simpleUser } from './users.js';

const isoOrNull = (d: Date | null): string | null => (d ? iso(d) : null);

/** GitHub's `pull-request-simple`: the shape of list endpoints. */
export function pullRequestSimple(
  base: string,
  state: GitHubState,
  pr: PullRequest,
): Record<string, unknown> {
  const repo = state.repo(pr.repo);
  const fullName = `${repo.owner}/${repo.name}`;
  const api = `${base}/repos/${fullName}`;
  const html = `${WEB}/${fullName}/pull/${pr.number}`;
  const owner = simpleUser(base, state.user(repo.owner));
  const branch = (ref: string, sha: string): Record<string, unknown> => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: owner,
    repo: repository(base, state, repo),
  });
  return {
    url: `${api}/pulls/${pr.number}`,
    id: pr.id,
    node_id: nodeId('PullRequest', pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pr.number}`,
    commits_url: `${api}/pulls/${pr.number}/commits`,
    review_comments_url: `${api}/pulls/${pr.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pr.number}/comments`,
    statuses_url: `${api}/statuses/${pr.headSha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: simpleUser(base, state.user(pr.author)),
    body: pr.body,
    labels: pr.labels.map((name) => label(base, fullName, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: iso(pr.createdAt),
    updated_at: iso(pr.updatedAt),
    closed_at: isoOrNull(pr.closedAt),
    merged_at: isoOrNull(pr.mergedAt),
    merge_commit_sha: pr.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: pr.requestedReviewers.map((l) => simpleUser(base, state.user(l))),
    requested_teams: pr.requestedTeams.map((t) => team(base, state.team(t))),
    head: branch(pr.headRef, pr.headSha),
    base: branch(pr.baseRef, repo.branches.get(pr.baseRef) ?? pr.headSha),
    _links: {
      self: { href: `${api}/pulls/${pr.number}` },
      html: { href: html },
      issue: { href: `${api}/issues/${pr.number}` },
      comments: { href: `${api}/issues/${pr.number}/comments` },
      review_comments: { href: `${api}/pulls/${pr.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${pr.number}/commits` },
      statuses: { href: `${api}/statuses/${pr.headSha}` },
    },
    author_association: authorAssociation(state, pr.repo, pr.author),
    auto_merge: null,
    draft: false,
  };
}

/** GitHub's `pull-request`: the single-PR endpoint adds merge and size facts. */
export function pullRequest(
  base: string,
  state: GitHubState,
  pr: PullRequest,
): Record<string, unknown> {
  const sum = (f: (c: ChangedFile) => number): number => pr.files.reduce((n, c) => n + f(c), 0);
  return {
    ...pullRequestSimple(base, state, pr),
    merged: pr.merged,
    mergeable: pr.state === 'open' ? true : null,
    rebaseable: pr.state === 'open' ? true : null,
    mergeable_state: pr.state === 'open' ? 'clean' : 'unknown',
    merged_by: pr.mergedBy ? simpleUser(base, state.user(pr.mergedBy)) : null,
    comments: state.comments.filter((c) => c.repo === pr.repo && c.issueNumber === pr.number)
      .length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pr.commits.length,
    additions: sum((c) => c.additions ?? 0),
    deletions: sum((c) => c.deletions ?? 0),
    changed_files: pr.files.length,
  };
}

/** GitHub's `diff-entry`: one file of GET /pulls/{n}/files. */
export function diffEntry(
  base: string,
  state: GitHubState,
  pr: PullRequest,
  file: ChangedFile,
): Record<string, unknown> {
  const repo = state.repo(pr.repo);
  const fullName = `${repo.owner}/${repo.name}`;
  const additions = file.additions ?? 0;
  const deletions = file.deletions ?? 0;
  const path = encodeURIComponent(file.filename);
  return {
    sha: blobSha(state.commits.get(pr.headSha)?.files.get(file.filename) ?? ''),
    filename: file.filename,
    status: file.status,
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `${WEB}/${fullName}/blob/${pr.headSha}/${file.filename}`,
    raw_url: `${WEB}/${fullName}/raw/${pr.headSha}/${file.filename}`,
    contents_url: `${base}/repos/${fullName}/contents/${path}?ref=${pr.headSha}`,
    ...(file.previousFilename ? { previous_filename: file.previousFilename } : {}),
  };
}

/** GitHub's `pull-request-review`. */
export function review(base: string, state: GitHubState, r: Review): Record<string, unknown> {
  const repo = state.repo(r.repo);
  const fullName = `${repo.owner}/${repo.name}`;
  const html = `${WEB}/${fullName}/pull/${r.pullNumber}#pullrequestreview-${r.id}`;
  return {
    id: r.id,
    node_id: nodeId('PullRequestReview', r.id),
    user: simpleUser(base, state.user(r.user)),
    body: r.body,
    state: r.state,
    html_url: html,
    pull_request_url: `${base}/repos/${fullName}/pulls/${r.pullNumber}`,
    author_association: authorAssociation(state, r.repo, r.user),
    _links: {
      html: { href: html },
      pull_request: { href: `${base}/repos/${fullName}/pulls/${r.pullNumber}` },
    },
    submitted_at: iso(r.submittedAt),
    commit_id: r.commitId,
  };
}

function label(base: string, fullName: string, name: string): Record<string, unknown> {
  const id = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  return {
    id,
    node_id: nodeId('Label', id),
    url: `${base}/repos/${fullName}/labels/${encodeURIComponent(name)}`,
    name,
    // pull-request-simple types this as a string (not nullable).
    description: '',
    color: 'ededed',
    default: false,
  };
}
