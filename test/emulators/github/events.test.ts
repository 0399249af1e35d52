import {
  issueCommentEvent,
  pullRequestEvent,
  pullRequestReviewEvent,
  scheduleEvent,
  workflowDispatchEvent,
} from '../../../emulators/github/events.js';
import type { GitHubEmulator } from '../../../emulators/github/server.js';
import { errorsOf, webhookValidator } from './openapi.js';
import { REPO, world } from './world.js';

let emu: GitHubEmulator;
beforeEach(async () => (emu = await world()));
afterEach(() => emu.close());

/** The payload is what GitHub's description of that webhook requires. */
function expectWebhook(name: string, payload: unknown): void {
  const validate = webhookValidator(name);
  validate(payload);
  expect(errorsOf(validate)).toEqual([]);
}

describe('event payloads', () => {
  it('pull_request opened carries the PR, repository and author from the state', () => {
    const payload = pullRequestEvent(emu, REPO, 1, 'opened');
    expectWebhook('pull-request-opened', payload);
    const pr = emu.state.pull(REPO, 1);
    expect(payload).toMatchObject({
      action: 'opened',
      number: 1,
      pull_request: {
        number: 1,
        user: { login: 'alice' },
        head: { sha: pr.headSha, ref: 'alice/logs' },
        base: { ref: 'main' },
      },
      repository: { full_name: REPO, id: emu.state.repo(REPO).id, default_branch: 'main' },
      organization: { login: 'acme' },
      sender: { login: 'alice' },
    });
    expect(payload).not.toHaveProperty('installation');
  });

  it('synchronize names the previous and new head', () => {
    const before = emu.state.pull(REPO, 1).headSha;
    const after = emu.state.push(REPO, 1).headSha;
    const payload = pullRequestEvent(emu, REPO, 1, 'synchronize');
    expectWebhook('pull-request-synchronize', payload);
    expect(payload).toMatchObject({ before, after, pull_request: { head: { sha: after } } });
  });

  it('closed after a merge reports merged, the merge commit and the merger', () => {
    const merged = emu.state.merge(REPO, 1, { by: 'bob' });
    const payload = pullRequestEvent(emu, REPO, 1, 'closed');
    expectWebhook('pull-request-closed', payload);
    expect(payload).toMatchObject({
      action: 'closed',
      pull_request: {
        merged: true,
        state: 'closed',
        merge_commit_sha: merged.mergeCommitSha,
        merged_by: { login: 'bob' },
      },
      sender: { login: 'bob' },
    });
  });

  it('closed without a merge reports merged false', () => {
    emu.state.close(REPO, 1);
    expect(pullRequestEvent(emu, REPO, 1, 'closed')).toMatchObject({
      pull_request: { merged: false, merged_at: null },
    });
  });

  it('pull_request_review submitted and dismissed, with webhook (lower-case) states', () => {
    const approval = emu.state.reviews[0];
    if (!approval) throw new Error('world has an approval');
    const submitted = pullRequestReviewEvent(emu, approval.id, 'submitted');
    expectWebhook('pull-request-review-submitted', submitted);
    expect(submitted).toMatchObject({
      review: { state: 'approved', user: { login: 'bob' }, commit_id: approval.commitId },
      pull_request: { number: 1 },
      sender: { login: 'bob' },
    });
    emu.state.dismissReview(approval.id);
    const dismissed = pullRequestReviewEvent(emu, approval.id, 'dismissed');
    expectWebhook('pull-request-review-dismissed', dismissed);
    expect(dismissed).toMatchObject({ action: 'dismissed', review: { state: 'dismissed' } });
  });

  it('issue_comment created on a PR is marked as a PR and carries the body', () => {
    const c = emu.state.comment(REPO, 1, { user: 'alice', body: '/revoke' });
    const payload = issueCommentEvent(emu, c.id);
    expectWebhook('issue-comment-created', payload);
    expect(payload).toMatchObject({
      action: 'created',
      comment: { id: c.id, body: '/revoke', user: { login: 'alice' } },
      issue: { number: 1, pull_request: { url: expect.stringContaining('/pulls/1') } },
      sender: { login: 'alice' },
    });
  });

  it('workflow_dispatch carries inputs and ref', () => {
    const payload = workflowDispatchEvent(emu, REPO, {
      sender: 'bob',
      workflowPath: '.github/workflows/revoke.yml',
      inputs: { request: 'alice-logs' },
    });
    expectWebhook('workflow-dispatch', payload);
    expect(payload).toMatchObject({
      inputs: { request: 'alice-logs' },
      ref: 'refs/heads/main',
      sender: { login: 'bob' },
    });
  });

  it('schedule carries the cron and the repository', () => {
    expect(scheduleEvent(emu, REPO, '*/15 * * * *', '.github/workflows/revoke.yml')).toMatchObject({
      schedule: '*/15 * * * *',
      workflow: '.github/workflows/revoke.yml',
      repository: { full_name: REPO },
    });
  });
});
