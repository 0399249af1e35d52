import { evaluateApprovals, type ApprovalInput } from '../../src/github/approvals.js';
import type { Review } from '../../src/github/reviews.js';

const HEAD = 'h'.repeat(40);
const OLD = 'o'.repeat(40);
let id = 0;
let minute = 0;

/** A review submitted one minute after the previous one. */
function review(login: string | null, state: Review['state'], extra: Partial<Review> = {}): Review {
  minute += 1;
  return {
    id: ++id,
    login,
    state,
    commitId: HEAD,
    submittedAt: new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString(),
    authorAssociation: 'MEMBER',
    ...extra,
  };
}

const platform = new Set(['bob', 'carol']);
function judge(reviews: Review[], over: Partial<ApprovalInput> = {}) {
  return evaluateApprovals({
    author: 'alice',
    headSha: HEAD,
    reviews,
    rule: { required: 1, approvers: ['acme/platform'] },
    isMember: (login, team) => team === 'acme/platform' && platform.has(login.toLowerCase()),
    ...over,
  });
}

test('a team member approving the final commit satisfies the rule', () => {
  const v = judge([review('bob', 'APPROVED')]);
  expect(v).toMatchObject({
    satisfied: true,
    missing: 0,
    counted: [{ login: 'bob', via: 'member of acme/platform' }],
    ignored: [],
  });
  expect(v.summary).toBe('1 of 1 required approval: bob (member of acme/platform)');
});

test('a later COMMENTED review leaves an approval standing, as on GitHub', () => {
  expect(judge([review('bob', 'APPROVED'), review('bob', 'COMMENTED')]).satisfied).toBe(true);
});

test.each([
  [
    'a later CHANGES_REQUESTED',
    [review('bob', 'APPROVED'), review('bob', 'CHANGES_REQUESTED')],
    /requested changes/,
  ],
  ['a dismissed approval', [review('bob', 'DISMISSED')], /dismissed/],
  [
    'a dismissed change request after an approval',
    [review('bob', 'APPROVED'), review('bob', 'DISMISSED')],
    /dismissed/,
  ],
  [
    'an approval of an earlier commit',
    [review('bob', 'APPROVED', { commitId: OLD })],
    /approved commit ooooooo, not the final commit hhhhhhh/,
  ],
  ['self-approval', [review('alice', 'APPROVED')], /is the author/],
  ['self-approval with different case', [review('ALICE', 'APPROVED')], /is the author/],
  ['a bot approval', [review('renovate[bot]', 'APPROVED')], /is a bot/],
  ['an approver outside the team', [review('mallory', 'APPROVED')], /not an approver/],
  ['a comment only', [review('bob', 'COMMENTED')], /only commented/],
  ['a deleted account', [review(null, 'APPROVED')], /deleted account/],
  ['an unknown state', [review('bob', 'PENDING')], /PENDING review, not an approval/],
])('%s does not count', (_, reviews, reason) => {
  const v = judge(reviews);
  expect(v.satisfied).toBe(false);
  expect(v.counted).toEqual([]);
  expect(v.missing).toBe(1);
  expect(v.ignored).toHaveLength(1);
  expect(v.ignored[0]?.reason).toMatch(reason);
});

test('a pending review (no submitted_at) is not a review yet', () => {
  const v = judge([review('bob', 'PENDING', { submittedAt: undefined })]);
  expect(v).toMatchObject({ satisfied: false, counted: [], ignored: [] });
});

test('a fresh approval after a change request counts; the order is by time, not by list position', () => {
  const approve = review('bob', 'APPROVED', { commitId: OLD });
  const change = review('bob', 'CHANGES_REQUESTED');
  const again = review('bob', 'APPROVED');
  expect(judge([again, change, approve]).satisfied).toBe(true);
});

test('one person approving twice, in two spellings, counts once', () => {
  const v = judge([review('bob', 'APPROVED'), review('Bob', 'APPROVED')], {
    rule: { required: 2, approvers: ['acme/platform'] },
  });
  expect(v).toMatchObject({ satisfied: false, missing: 1 });
  expect(v.counted).toHaveLength(1);
  expect(v.summary).toBe(
    '1 of 2 required approvals (Bob (member of acme/platform)); 1 more needed',
  );
});

test('listed logins match case-insensitively, with or without @', () => {
  const v = judge([review('Dave', 'APPROVED'), review('erin', 'APPROVED')], {
    rule: { required: 2, approvers: ['dave', '@ERIN'] },
  });
  expect(v.counted).toEqual([
    { login: 'Dave', via: 'listed' },
    { login: 'erin', via: 'listed' },
  ]);
});

test('two distinct approvers satisfy a rule that needs two', () => {
  const v = judge(
    [review('bob', 'APPROVED'), review('carol', 'APPROVED'), review('alice', 'APPROVED')],
    {
      rule: { required: 2, approvers: ['acme/platform'] },
    },
  );
  expect(v.satisfied).toBe(true);
  expect(v.counted.map((c) => c.login)).toEqual(['bob', 'carol']);
  expect(v.ignored.map((i) => i.login)).toEqual(['alice']);
});

test('with no approvers listed, reviewers with a trusted association count and outsiders do not', () => {
  const v = judge(
    [
      review('bob', 'APPROVED'),
      review('stranger', 'APPROVED', { authorAssociation: 'CONTRIBUTOR' }),
    ],
    { rule: { required: 2, approvers: [] } },
  );
  expect(v.counted).toEqual([{ login: 'bob', via: 'association MEMBER' }]);
  expect(v.ignored).toEqual([
    { login: 'stranger', reason: 'has no write association with the repository (CONTRIBUTOR)' },
  ]);
});

test('a rule asking for zero approvals still needs one', () => {
  const v = judge([], { rule: { required: 0, approvers: ['acme/platform'] } });
  expect(v).toMatchObject({ satisfied: false, missing: 1 });
});

test('reviews after the merge neither approve it retroactively nor withdraw its approval', () => {
  const before = review('bob', 'APPROVED');
  const mergedAt = new Date(Date.parse(before.submittedAt ?? '') + 30_000).toISOString();
  const v = judge([before, review('bob', 'CHANGES_REQUESTED'), review('carol', 'APPROVED')], {
    mergedAt,
    rule: { required: 2, approvers: ['acme/platform'] },
  });
  expect(v.counted).toEqual([{ login: 'bob', via: 'member of acme/platform' }]);
  expect(v.ignored).toEqual([
    {
      login: 'carol',
      reason:
        'reviewed only after the merge: a review that did not gate the merge cannot approve it',
    },
  ]);
});
