import { createRequire } from 'node:module';
import { issueComment, issueOfPull } from './render/issues.js';
import { pullRequest, pullRequestSimple, review } from './render/pulls.js';
import { repository } from './render/repos.js';
import { simpleUser } from './render/users.js';
import type { GitHubState } from './state.js';

/**
 * Event payloads as a runner writes them to `GITHUB_EVENT_PATH`: a real example from
 * @octokit/webhooks-examples as the skeleton (so fields nobody thought of are still there), with
 * every repository, PR, review, comment and user field replaced from the emulator state.
 */

type Payload = Record<string, unknown>;

interface Example {
  name: string;
  examples: Payload[];
}

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Example[];

/** What the builders read: the emulator's state and the REST base URL its objects link to. */
export interface EventSource {
  url: string;
  state: GitHubState;
}

function example(name: string, action?: string): Payload {
  const found = examples
    .find((e) => e.name === name)
    ?.examples.find((e) => action === undefined || e.action === action);
  if (!found)
    throw new Error(
      `no ${name}${action ? `.${action}` : ''} example in @octokit/webhooks-examples`,
    );
  return structuredClone(found);
}

/** `repository`, `organization` and `sender` from the state; example installation ids dropped. */
function frame(src: EventSource, skeleton: Payload, fullName: string, sender: string): Payload {
  const rest = { ...skeleton };
  delete rest.installation;
  delete rest.enterprise;
  const organization = rest.organization as Payload | undefined;
  delete rest.organization;
  const repo = src.state.repo(fullName);
  const owner = src.state.user(repo.owner);
  return {
    ...rest,
    repository: { ...(skeleton.repository as Payload), ...repository(src.url, src.state, repo) },
    ...(owner.type === 'Organization'
      ? {
          organization: {
            ...organization,
            ...organizationOf(src, repo.owner),
          },
        }
      : {}),
    sender: simpleUser(src.url, src.state.user(sender)),
  };
}

function organizationOf(src: EventSource, login: string): Payload {
  const org = src.state.user(login);
  const api = `${src.url}/orgs/${login}`;
  const user = simpleUser(src.url, org);
  return {
    login,
    id: org.id,
    node_id: user.node_id,
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: user.avatar_url,
    description: null,
  };
}

export type PullRequestAction =
  'opened' | 'synchronize' | 'closed' | 'reopened' | 'edited' | 'labeled';

/**
 * `pull_request` and `pull_request_target` payloads (the two events share one payload; only the
 * workflow's checkout and token differ). `closed` reports `merged` from the state: merge first.
 */
export function pullRequestEvent(
  src: EventSource,
  fullName: string,
  number: number,
  action: PullRequestAction,
  sender?: string,
): Payload {
  const pr = src.state.pull(fullName, number);
  const skeleton = example('pull_request', action);
  const payload: Payload = {
    ...frame(
      src,
      skeleton,
      fullName,
      sender ?? (action === 'closed' && pr.mergedBy ? pr.mergedBy : pr.author),
    ),
    action,
    number,
    pull_request: { ...(skeleton.pull_request as Payload), ...pullRequest(src.url, src.state, pr) },
  };
  if (action === 'synchronize') {
    payload.before = pr.commits.at(-2) ?? pr.headSha;
    payload.after = pr.headSha;
  }
  return payload;
}

/** `pull_request_review`: `submitted` or `dismissed`, for a review in the state. */
export function pullRequestReviewEvent(
  src: EventSource,
  reviewId: number,
  action: 'submitted' | 'dismissed',
): Payload {
  const r = src.state.reviews.find((x) => x.id === reviewId);
  if (!r) throw new Error(`no review ${reviewId}`);
  const pr = src.state.pull(r.repo, r.pullNumber);
  const skeleton = example('pull_request_review', action);
  const rendered = review(src.url, src.state, r);
  return {
    ...frame(src, skeleton, r.repo, r.user),
    action,
    // Webhooks spell review states in lower case, unlike the REST API.
    review: { ...(skeleton.review as Payload), ...rendered, state: r.state.toLowerCase() },
    pull_request: {
      ...(skeleton.pull_request as Payload),
      ...pullRequestSimple(src.url, src.state, pr),
    },
  };
}

/** `issue_comment` `created` on a pull request, e.g. a `/revoke` command. */
export function issueCommentEvent(src: EventSource, commentId: number): Payload {
  const c = src.state.comments.find((x) => x.id === commentId);
  if (!c) throw new Error(`no comment ${commentId}`);
  const pr = src.state.pull(c.repo, c.issueNumber);
  const skeleton = example('issue_comment', 'created');
  return {
    ...frame(src, skeleton, c.repo, c.user),
    action: 'created',
    issue: { ...(skeleton.issue as Payload), ...issueOfPull(src.url, src.state, pr) },
    comment: { ...(skeleton.comment as Payload), ...issueComment(src.url, src.state, c) },
  };
}

/** `schedule`: no webhook exists, so no example; this is what Actions writes for a cron run. */
export function scheduleEvent(
  src: EventSource,
  fullName: string,
  cron: string,
  workflowPath: string,
): Payload {
  const repo = src.state.repo(fullName);
  return {
    schedule: cron,
    workflow: workflowPath,
    ...frame(src, {}, fullName, repo.owner),
  };
}

/** `workflow_dispatch` with its inputs, run on `ref` (default: the default branch). */
export function workflowDispatchEvent(
  src: EventSource,
  fullName: string,
  opts: { sender: string; workflowPath: string; inputs?: Record<string, string>; ref?: string },
): Payload {
  const repo = src.state.repo(fullName);
  return {
    ...frame(src, example('workflow_dispatch'), fullName, opts.sender),
    inputs: opts.inputs ?? {},
    ref: opts.ref ?? `refs/heads/${repo.defaultBranch}`,
    workflow: opts.workflowPath,
  };
}
