/**
 * The request check (in process, against the GitHub emulator over HTTP) on a request with an
 * error and a warning: both reach the sticky comment and the annotations in the same run, so the
 * requester fixes the duration and the resource in one push.
 */
import { Octokit } from '@octokit/rest';
import { requestCheck } from '../../actions/request/src/check.js';
import { annotationProperties } from '../../src/report/annotations.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { CONFIG, REPO, world, type World } from '../e2e/world.js';

const parsed = parseConfig(
  CONFIG.replace('custom: { allowed: false,', 'custom: { allowed: true,'),
  'jit.config.yaml',
);
if (!parsed.ok) throw new Error('the world config must parse');
const config = parsed.value;

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w.close());

test('an error and a warning of one request come back together, in the comment and as annotations', async () => {
  const file = 'requests/octocat-export.yaml';
  const pr = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: {
      [file]: [
        'requester: octocat',
        'account: prod',
        'permissions:',
        '  - actions: [s3:GetObject]',
        '    resources: ["arn:aws:s3:::acme-prod-logs"]',
        'duration: 2 hours',
        'reason: Read the exports of last night from the prod log bucket.',
        '',
      ].join('\n'),
    },
  });
  const annotations: { kind: string; message: string; startLine?: number; title?: string }[] = [];
  const { check, body } = await requestCheck({
    octokit: new Octokit({ baseUrl: w.gh.url, auth: w.token }),
    repo: { owner: 'acme', repo: 'access' },
    pullNumber: pr.number,
    headSha: pr.headSha,
    config,
    now: w.aws.clock.now(),
    commentAuthor: 'github-actions[bot]',
    // What actions/request/src/main.ts does with the verdict: one annotation per problem.
    onVerdict: (verdict) => {
      for (const p of verdict.outcomes.flatMap((o) => (o.ok ? o.plan.warnings : o.problems)))
        annotations.push({ kind: p.severity, message: p.message, ...annotationProperties(p) });
    },
  });
  expect(check.valid).toBe(false);
  expect(annotations.map((a) => [a.kind, a.startLine, a.title])).toEqual([
    ['warning', 4, 'permissions[0].actions[0]'],
    ['error', 6, 'duration'],
  ]);
  const outcome = check.outcomes[0]!;
  expect(outcome.ok ? [] : outcome.problems.map((p) => p.code)).toEqual([
    'ACTION_MATCHES_NO_RESOURCE',
    'DURATION_INVALID',
  ]);
  expect(body).toContain(
    'requests/octocat-export.yaml:4:15: warning: permissions[0].actions[0]: `s3:GetObject` acts on',
  );
  expect(body).toContain('requests/octocat-export.yaml:6:11: error: duration:');
  const sticky = w.gh.state.comments.filter((c) => c.issueNumber === pr.number);
  expect(sticky).toHaveLength(1);
  expect(sticky[0]!.body).toContain('4:15: warning: permissions[0].actions[0]');
});
