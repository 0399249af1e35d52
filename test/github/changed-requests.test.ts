import { classifyChanges } from '../../src/github/changed-requests.js';

test('a PR that only adds request files is clean', () => {
  const r = classifyChanges([
    { filename: 'requests/alice-logs.yaml', status: 'added' },
    { filename: 'requests/bob-ec2.yaml', status: 'added' },
  ]);
  expect(r.added).toEqual(['requests/alice-logs.yaml', 'requests/bob-ec2.yaml']);
  expect(r.problems).toEqual([]);
});

test.each([
  ['modified', 'requests/old.yaml'],
  ['removed', 'requests/old.yaml'],
])('a %s existing request is refused', (status, filename) => {
  const r = classifyChanges([{ filename, status }]);
  expect(r.added).toEqual([]);
  expect(r.problems[0]?.message).toMatch(/immutable/);
});

test('renaming an existing request to a new name is refused, not treated as an addition', () => {
  const r = classifyChanges([
    { filename: 'requests/new.yaml', status: 'renamed', previousFilename: 'requests/old.yaml' },
  ]);
  expect(r.added).toEqual([]);
  expect(r.problems).toHaveLength(1);
});

test.each([
  'jit.config.yaml',
  '.github/workflows/grant.yml',
  '.github/CODEOWNERS',
  'actions/grant/dist/index.js',
  'requests/nested/evil.yaml',
  'requests/README.md',
])('a change to %s is reported as blocking the grant', (filename) => {
  const r = classifyChanges([
    { filename: 'requests/okay.yaml', status: 'added' },
    { filename, status: 'modified' },
  ]);
  expect(r.added).toEqual(['requests/okay.yaml']);
  expect(r.problems).toHaveLength(1);
  expect(r.problems[0]?.file).toBe(filename);
});
