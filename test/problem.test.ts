import { error } from '../src/problem.js';

test('error() carries the position it is given', () => {
  expect(error('account', 'unknown account', { line: 3, column: 10 })).toEqual({
    path: 'account',
    message: 'unknown account',
    severity: 'error',
    line: 3,
    column: 10,
  });
});
