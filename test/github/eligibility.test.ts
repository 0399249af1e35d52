import type { PrFacts } from '../../src/github/pr-facts.js';
import { checkPrShape, checkRequester } from '../../src/github/eligibility.js';

function facts(over: Partial<PrFacts> = {}): PrFacts {
  const files = over.files ?? [{ filename: 'requests/alice-logs.yaml', status: 'added' }];
  return {
    repo: { owner: 'acme', repo: 'access' },
    number: 7,
    author: 'alice',
    state: 'closed',
    merged: true,
    mergedAt: '2026-03-01T10:00:00Z',
    mergeCommitSha: 'm'.repeat(40),
    baseRef: 'main',
    defaultBranch: 'main',
    headSha: 'h'.repeat(40),
    changedFileCount: files.length,
    files,
    reviews: [],
    ...over,
  };
}

const messages = (f: PrFacts, requestPath?: string): string[] =>
  checkPrShape(f, { defaultBranch: 'main', ...(requestPath ? { requestPath } : {}) }).map(
    (p) => p.message,
  );

test('a merged PR adding one request to the default branch has the right shape', () => {
  expect(messages(facts(), 'requests/alice-logs.yaml')).toEqual([]);
});

test('an unmerged PR is refused', () => {
  expect(messages(facts({ merged: false, state: 'open' }))).toEqual([
    'PR #7 is not merged (it is open)',
  ]);
});

test('a PR merged into another branch is refused', () => {
  expect(messages(facts({ baseRef: 'release' }))).toEqual([
    'PR #7 targets release, not the default branch main',
  ]);
});

test('a file listing shorter than the PR says (the 3,000-file cap) is refused', () => {
  expect(messages(facts({ changedFileCount: 3001 }))).toEqual([
    'PR #7 changes 3001 files but GitHub lists only 1: what it touched cannot be verified',
  ]);
});

test.each([
  ['jit.config.yaml', 'modified'],
  ['.github/workflows/x.yml', 'added'],
  ['.github/CODEOWNERS', 'modified'],
  ['actions/grant/dist/index.js', 'modified'],
  ['requests/README.md', 'modified'],
  ['requests/nested/evil.yaml', 'added'],
  ['requests/bob-ec2.yml', 'added'],
  ['requests/Bob-ec2.yaml', 'added'],
  ['requests/../jit.config.yaml', 'added'],
  ['requests/ab.yaml', 'added'],
  ['requests/old-request.yaml', 'modified'],
  ['requests/old-request.yaml', 'removed'],
  ['requests/old-request.yaml', 'copied'],
])('%s (%s) next to a new request refuses the grant, naming the file', (filename, status) => {
  const problems = checkPrShape(
    facts({
      files: [
        { filename: 'requests/alice-logs.yaml', status: 'added' },
        { filename, status },
      ],
    }),
    { defaultBranch: 'main' },
  );
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatchObject({ file: filename, severity: 'error' });
});

test('a renamed request is refused even though its new name is new', () => {
  const problems = checkPrShape(
    facts({
      files: [
        {
          filename: 'requests/new-name.yaml',
          status: 'renamed',
          previousFilename: 'requests/old-name.yaml',
        },
      ],
    }),
    { defaultBranch: 'main' },
  );
  expect(problems.map((p) => p.message)).toEqual([
    'renamed an existing request: requests are immutable once merged; add a new request file instead',
    'PR #7 adds no request file',
  ]);
});

test('two requests in one PR are refused', () => {
  const files = [
    { filename: 'requests/alice-logs.yaml', status: 'added' },
    { filename: 'requests/alice-ec2.yaml', status: 'added' },
  ];
  expect(messages(facts({ files }))).toEqual([
    'PR #7 adds 2 request files (requests/alice-logs.yaml, requests/alice-ec2.yaml): one request per PR, so each grant is approved on its own',
  ]);
});

test('the request being granted must be the one the PR adds', () => {
  expect(messages(facts(), 'requests/other.yaml')).toEqual([
    'PR #7 does not add requests/other.yaml',
  ]);
});

test('the author must be the requester, compared case-insensitively', () => {
  expect(checkRequester(facts(), 'Alice')).toEqual([]);
  expect(checkRequester(facts(), 'bob').map((p) => p.message)).toEqual([
    'PR #7 was opened by alice, but the request is for bob: a request must be opened by its requester',
  ]);
});
