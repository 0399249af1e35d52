import { grantWindow } from '../../src/policy/window.js';

const now = new Date('2026-11-25T10:15:30.999Z');

test('without a requested start the window opens now, truncated to the second', () => {
  expect(grantWindow(undefined, 90, now)).toEqual({
    start: new Date('2026-11-25T10:15:30Z'),
    expiry: new Date('2026-11-25T11:45:30Z'),
  });
});

test('a requested start is used as given', () => {
  expect(grantWindow(new Date('2026-12-01T08:00:00.500Z'), 60, now)).toEqual({
    start: new Date('2026-12-01T08:00:00Z'),
    expiry: new Date('2026-12-01T09:00:00Z'),
  });
});
