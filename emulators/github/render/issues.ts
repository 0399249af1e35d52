import type { GitHubState, IssueComment, PullRequest } from '../state.js';
import { authorAssociation } from './association.js';
import { pullRequestSimple } from './pulls.js';
import { iso } from './repos.js';
import { WEB, nodeId, simpleUser } from './users.js';

/** GitHub's `issue-comment`. */
export function issueComment(
  base: string,
  state: GitHubState,
  c: IssueComment,
): Record<string, unknown> {
  const repo = state.repo(c.repo);
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    id: c.id,
    node_id: nodeId('IssueComment', c.id),
    url: `${base}/repos/${fullName}/issues/comments/${c.id}`,
    html_url: `${WEB}/${fullName}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${base}/repos/${fullName}/issues/${c.issueNumber}`,
    body: c.body,
    user: simpleUser(base, state.user(c.user)),
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    author_association: authorAssociation(state, c.repo, c.user),
    performed_via_github_app: null,
    reactions: reactions(`${base}/repos/${fullName}/issues/comments/${c.id}/reactions`),
  };
}

/** Reactions are not modelled; the rollup is present (webhook payloads require it) and empty. */
function reactions(url: string): Record<string, unknown> {
  const counts = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'eyes', 'rocket'];
  return { url, total_count: 0, ...Object.fromEntries(counts.map((k) => [k, 0])) };
}

/** A pull request seen as an issue (`issue` in issue_comment payloads): with `pull_request` set. */
export function issueOfPull(
  base: string,
  state: GitHubState,
  pr: PullRequest,
): Record<string, unknown> {
  const simple = pullRequestSimple(base, state, pr);
  const repo = state.repo(pr.repo);
  const api = `${base}/repos/${repo.owner}/${repo.name}`;
  const issue = `${api}/issues/${pr.number}`;
  return {
    url: issue,
    repository_url: api,
    labels_url: `${issue}/labels{/name}`,
    comments_url: `${issue}/comments`,
    events_url: `${issue}/events`,
    html_url: simple.html_url,
    id: pr.id,
    node_id: simple.node_id,
    number: pr.number,
    title: pr.title,
    user: simple.user,
    labels: simple.labels,
    state: pr.state,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: state.comments.filter((c) => c.repo === pr.repo && c.issueNumber === pr.number)
      .length,
    created_at: simple.created_at,
    updated_at: simple.updated_at,
    closed_at: simple.closed_at,
    author_association: simple.author_association,
    active_lock_reason: null,
    body: pr.body,
    reactions: reactions(`${issue}/reactions`),
    timeline_url: `${issue}/timeline`,
    performed_via_github_app: null,
    pull_request: {
      url: simple.url,
      html_url: simple.html_url,
      diff_url: simple.diff_url,
      patch_url: simple.patch_url,
      merged_at: simple.merged_at,
    },
  };
}
