import { childIndex, childKey, fromPointer, parentPath } from '../../src/yaml/path.js';

test('paths read like the YAML they point into', () => {
  expect(childKey('', 'permissions')).toBe('permissions');
  expect(childIndex('permissions', 0)).toBe('permissions[0]');
  expect(childKey('permissions[0]', 'actions')).toBe('permissions[0].actions');
  expect(childKey('conditions.StringEquals', 'aws:RequestedRegion')).toBe(
    'conditions.StringEquals.aws:RequestedRegion',
  );
});

test('keys with dots, brackets, quotes or spaces are quoted', () => {
  expect(childKey('principals', 'a.b')).toBe('principals["a.b"]');
  expect(childKey('', 'a b')).toBe('["a b"]');
  expect(childKey('x', 'say "hi"[0]')).toBe('x["say \\"hi\\"[0]"]');
});

test.each([
  ['permissions[0].actions[1]', 'permissions[0].actions'],
  ['permissions[0].actions', 'permissions[0]'],
  ['permissions[0]', 'permissions'],
  ['permissions', ''],
  ['principals["a.b"]', 'principals'],
  ['x["say \\"hi\\"[0]"]', 'x'],
  ['', ''],
])('the parent of %s is %s', (path, parent) => {
  expect(parentPath(path)).toBe(parent);
});

test('a JSON pointer becomes a path; the data tells list indexes from numeric keys', () => {
  const data = { permissions: [{ actions: ['a', 'b'] }], principals: { '12345': { prod: 'x' } } };
  expect(fromPointer('', data)).toBe('');
  expect(fromPointer('/permissions/0/actions/1', data)).toBe('permissions[0].actions[1]');
  expect(fromPointer('/principals/12345/prod', data)).toBe('principals.12345.prod');
  expect(fromPointer('/a~1b/c~0d', { 'a/b': {} })).toBe('a/b.c~d');
});
