/**
 * Break-glass rules (decision 026): which profiles may be break-glass, who may break the glass,
 * and when a retro review is approved, pending or missed.
 */
import { judgeComment, judgeRetro } from '../../src/breakglass/rules.js';
import type { Review } from '../../src/github/reviews.js';
import { parseConfig } from '../../src/request/parse-config.js';

const config = (profile: string) => `version: 1
defaults: { maxDuration: 8h }
accounts:
  prod: { id: "111122223333", brokerRole: "arn:aws:iam::111122223333:role/jit/broker", regions: [eu-west-1] }
principals:
  octocat: { prod: "arn:aws:iam::111122223333:user/octocat" }
profiles:
  emergency:
    description: Emergency repair.
    statements: [{ actions: [s3:PutObject], resources: ["arn:aws:s3:::logs/*"] }]
    approvers: [acme/sre]
${profile}`;

test.each([
  ['    maxDuration: 1h\n    breakGlass: { retroReviewWithin: 24h }\n', 1440, []],
  ['    maxDuration: 30m\n    breakGlass: { retroReviewWithin: 3d }\n', 4320, []],
  [
    '    breakGlass: { retroReviewWithin: 24h }\n',
    undefined,
    ['profiles.emergency.maxDuration: a break-glass profile may grant 1h at most'],
  ],
  [
    '    maxDuration: 1h\n    breakGlass: { retroReviewWithin: 5m }\n',
    undefined,
    ['profiles.emergency.breakGlass.retroReviewWithin: "5m" must be between 10m and 7d'],
  ],
  [
    '    maxDuration: 1h\n    breakGlass: { retroReviewWithin: 8d }\n',
    undefined,
    ['profiles.emergency.breakGlass.retroReviewWithin: "8d" must be between 10m and 7d'],
  ],
  [
    '    maxDuration: 1h\n    breakGlass: { retroReviewWithin: 1h30m }\n',
    undefined,
    ['profiles.emergency.breakGlass.retroReviewWithin: "1h30m" write one number and one unit'],
  ],
  ['    maxDuration: 1h\n', undefined, []],
])('config %j: retro review in %j minutes, problems %j', (profile, minutes, problems) => {
  const parsed = parseConfig(config(profile), 'jit.config.yaml');
  if (parsed.ok) {
    expect(problems).toEqual([]);
    expect(parsed.value.profiles.emergency?.breakGlass?.retroReviewWithinMinutes).toBe(minutes);
  } else {
    const found = parsed.problems.map((p) => `${p.path}: ${p.message}`);
    expect(found).toHaveLength(problems.length);
    problems.forEach((p, i) => expect(found[i]).toContain(p));
    // Each problem names the line it is on.
    for (const p of parsed.problems) expect(p.line).toBeGreaterThan(0);
  }
});

const AT = '2026-12-02T10:00:00.000Z';
const now = new Date('2026-12-02T11:00:00.000Z');
test.each([
  [{ by: 'octocat', createdAt: AT, updatedAt: AT, prAuthor: 'OctoCat', now }, true],
  [{ by: 'mallory', createdAt: AT, updatedAt: AT, prAuthor: 'octocat', now }, false],
  [
    {
      by: 'octocat',
      createdAt: AT,
      updatedAt: AT,
      prAuthor: 'octocat',
      now: new Date('2026-12-02T12:01:00.000Z'),
    },
    false,
  ],
  [
    {
      by: 'octocat',
      createdAt: AT,
      updatedAt: '2026-12-02T10:01:00.000Z',
      prAuthor: 'octocat',
      now,
    },
    false,
  ],
])('comment %j may break the glass: %s', (comment, ok) => {
  expect(judgeComment(comment).ok).toBe(ok);
});

const GRANTED = 'a'.repeat(40);
const DUE = new Date('2026-12-03T10:00:00Z');
const review = (login: string, at: string, commitId = GRANTED): Review => ({
  id: Date.parse(at),
  login,
  state: 'APPROVED',
  commitId,
  submittedAt: at,
  authorAssociation: 'MEMBER',
});
const rule = { required: 1, approvers: ['acme/sre'] };
const isMember = (login: string) => login === 'sre-bob';

test.each([
  ['an approver approved the granted commit in time', [review('sre-bob', AT)], AT, 'approved'],
  ['no review yet, before the deadline', [], AT, 'pending'],
  ['no review, deadline passed', [], '2026-12-03T10:00:00Z', 'missed'],
  [
    'approved after the deadline',
    [review('sre-bob', '2026-12-03T10:05:00Z')],
    '2026-12-03T11:00:00Z',
    'missed',
  ],
  ['approved by a non-approver', [review('mallory', AT)], '2026-12-03T11:00:00Z', 'missed'],
  ['approved by the requester', [review('octocat', AT)], '2026-12-03T11:00:00Z', 'missed'],
  [
    'approved another commit',
    [review('sre-bob', AT, 'b'.repeat(40))],
    '2026-12-03T11:00:00Z',
    'missed',
  ],
])('retro review: %s', (_name, reviews, now, kind) => {
  const verdict = judgeRetro({
    requester: 'octocat',
    headSha: GRANTED,
    reviews,
    rule,
    isMember,
    due: DUE,
    now: new Date(now),
  });
  expect(verdict.kind).toBe(kind);
});
