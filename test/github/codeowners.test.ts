/** CODEOWNERS matching by GitHub's documented examples. */
import { ownersOf } from '../../src/github/codeowners.js';

test.each([
  ['* @all', 'a/b/c.txt', ['@all']],
  ['*.js @js', 'src/deep/x.js', ['@js']],
  ['*.js @js', 'src/x.ts', []],
  ['/build/logs/ @logs', 'build/logs/a/b.log', ['@logs']],
  ['/build/logs/ @logs', 'x/build/logs/a.log', []],
  ['apps/ @apps', 'x/apps/y/z.js', ['@apps']],
  ['docs/* @docs', 'docs/start.md', ['@docs']],
  // GitHub: `docs/*` owns the directory's files but not nested ones.
  ['docs/* @docs', 'docs/build/x.md', []],
  ['**/logs @logs', 'a/b/logs/x.log', ['@logs']],
  ['/requests/ @r', 'requests/alice.yaml', ['@r']],
  ['/jit.config.yaml @c', 'jit.config.yaml', ['@c']],
  ['/jit.config.yaml @c', 'sub/jit.config.yaml', []],
  ['\\#notes @n', '#notes', ['@n']],
])('%s: %s is owned by %j', (codeowners, path, owners) => {
  expect(ownersOf(codeowners, path)).toEqual(owners);
});

test('the last matching line wins, and an owner-less line unowns', () => {
  const text = '* @all # everyone\n/requests/ @approvers\n/requests/README.md\n';
  expect(ownersOf(text, 'requests/a.yaml')).toEqual(['@approvers']);
  expect(ownersOf(text, 'requests/README.md')).toEqual([]);
  expect(ownersOf(text, 'src/x.ts')).toEqual(['@all']);
});
