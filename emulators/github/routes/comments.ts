import { HttpError, notFound, validationFailed } from '../http/errors.js';
import { paged } from '../http/paging.js';
import type { RestRequest, Route } from '../http/router.js';
import { issueComment } from '../render/issues.js';
import type { GitHubState, IssueComment } from '../state.js';
import { intParam, repoOf } from './context.js';

export function commentRoutes(state: GitHubState): Route[] {
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues/:issue_number/comments',
      handler: (req) => {
        const { fullName } = repoOf(state, req);
        const pr = state.pull(fullName, intParam(req, 'issue_number'));
        const items = state.comments.filter(
          (c) => c.repo === pr.repo && c.issueNumber === pr.number,
        );
        const page = paged(req, items);
        return {
          ...page,
          body: (page.body as IssueComment[]).map((c) => issueComment(req.base, state, c)),
        };
      },
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/issues/:issue_number/comments',
      handler: (req) => {
        const { fullName } = repoOf(state, req);
        const comment = state.comment(fullName, intParam(req, 'issue_number'), {
          user: req.grant?.login ?? 'ghost',
          body: bodyOf(req),
        });
        return {
          status: 201,
          headers: { location: `${req.base}/repos/${fullName}/issues/comments/${comment.id}` },
          body: issueComment(req.base, state, comment),
        };
      },
    },
    {
      method: 'PATCH',
      path: '/repos/:owner/:repo/issues/comments/:comment_id',
      handler: (req) => {
        const { repo } = repoOf(state, req);
        const id = intParam(req, 'comment_id');
        const existing = state.comments.find((c) => c.id === id);
        if (!existing || existing.repo !== `${repo.owner}/${repo.name}`.toLowerCase())
          throw notFound();
        return { body: issueComment(req.base, state, state.editComment(id, bodyOf(req))) };
      },
    },
    {
      // Anyone with write access may delete anyone's comment, the action's included.
      method: 'DELETE',
      path: '/repos/:owner/:repo/issues/comments/:comment_id',
      handler: (req) => {
        const { repo } = repoOf(state, req);
        const id = intParam(req, 'comment_id');
        const existing = state.comments.find((c) => c.id === id);
        if (!existing || existing.repo !== `${repo.owner}/${repo.name}`.toLowerCase())
          throw notFound();
        state.deleteComment(id);
        return { status: 204 };
      },
    },
  ];
}

/** GitHub caps comment bodies at 65536 characters and rejects a missing body with 422. */
function bodyOf(req: RestRequest): string {
  const body = (req.body as { body?: unknown } | undefined)?.body;
  if (typeof body !== 'string') throw validationFailed('IssueComment', 'body');
  if (body.length > 65536) {
    throw new HttpError(422, 'Validation Failed', {
      errors: [
        {
          resource: 'IssueComment',
          field: 'body',
          code: 'custom',
          message: 'body is too long (maximum is 65536 characters)',
        },
      ],
    });
  }
  return body;
}
