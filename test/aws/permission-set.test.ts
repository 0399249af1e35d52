/** The pure planning of an Identity Center grant: names, session lengths. */
import fc from 'fast-check';
import { permissionSetName, sessionDuration } from '../../src/aws/permission-set.js';

const T0 = new Date('2026-11-25T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

test('every request id gives a name within 32 characters of [\\w+=,.@-], stable per id and PR', () => {
  fc.assert(
    fc.property(
      fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,63}$/),
      fc.integer({ min: 1, max: 2 ** 31 }),
      (id, pr) => {
        const name = permissionSetName(id, pr);
        expect(name).toMatch(/^jit-[\w+=,.@-]+$/);
        expect(name.length).toBeLessThanOrEqual(32);
        expect(permissionSetName(id, pr)).toBe(name);
        expect(permissionSetName(id, pr + 1)).not.toBe(name);
      },
    ),
  );
});

test('long ids that share a prefix get different names', () => {
  const a = permissionSetName('octocat-investigate-export-failure-monday', 1);
  const b = permissionSetName('octocat-investigate-export-failure-tuesday', 1);
  expect(a.slice(0, 23)).toBe(b.slice(0, 23));
  expect(a).not.toBe(b);
});

test.each([
  [0, 90, 0, 'PT2H'], // 90 minutes left: rounded up
  [0, 60, 0, 'PT1H'],
  [0, 15, 0, 'PT1H'], // at least an hour
  [0, 720, 0, 'PT12H'],
  [0, 240, 170, 'PT2H'], // a grant made late: only the time left counts
  [120, 180, 0, 'PT1H'], // a future start: the window's own length
])('window %i..%i min, granted at %i min: %s', (start, expiry, now, want) => {
  expect(sessionDuration({ start: at(start), expiry: at(expiry) }, at(now))).toBe(want);
});
