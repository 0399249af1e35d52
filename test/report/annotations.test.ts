import { annotation, humanLine } from '../../src/report/annotations.js';
import type { Problem } from '../../src/problem.js';

const problem: Problem = {
  path: 'account',
  message: 'unknown account "prd"',
  severity: 'error',
  file: 'requests/a.yaml',
  line: 3,
  column: 10,
};

test('an annotation points at the file, line and column of the problem', () => {
  expect(annotation(problem)).toBe(
    '::error file=requests/a.yaml,line=3,col=10,title=account::unknown account "prd"',
  );
});

test('a message cannot inject a second workflow command', () => {
  const line = annotation({ ...problem, message: 'x\n::add-mask::secret\r\n::stop-commands::t' });
  expect(line.split('\n')).toHaveLength(1);
  expect(line).toContain('x%0A::add-mask::secret%0D%0A::stop-commands::t');
});

test('properties are escaped so a path cannot add properties', () => {
  expect(annotation({ ...problem, path: 'a,line=1:b' })).toContain('title=a%2Cline=1%3Ab::');
});

test('warnings use the warning command; a problem without a file has no properties', () => {
  expect(annotation({ path: '', message: 'm', severity: 'warning' })).toBe('::warning::m');
});

test('the human form is file:line:col: severity: path: message', () => {
  expect(humanLine(problem)).toBe('requests/a.yaml:3:10: error: account: unknown account "prd"');
});
