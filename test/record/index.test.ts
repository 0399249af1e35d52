/**
 * The decision log is read from its paths alone: what each path means, and what the index
 * concludes from them, table-driven.
 */
import { LogIndex } from '../../src/record/index.js';
import { parseRecordPath, recordPath } from '../../src/record/record.js';

const at = '2026-11-25T09:00:00.000Z';

test.each([
  ['pr/12/0001-granted.json', { pr: 12, seq: 1, kind: 'granted' }],
  ['pr/12/0003-revoked-c991.json', { pr: 12, seq: 3, kind: 'revoked', commentId: 991 }],
  ['pr/7/0002-revoke-refused-c5.json', { pr: 7, seq: 2, kind: 'revoke-refused', commentId: 5 }],
  ['pr/7/10000-skipped.json', { pr: 7, seq: 10000, kind: 'skipped' }],
])('%s is a record', (path, entry) => {
  expect(parseRecordPath(path)).toEqual({ ...entry, path });
});

test.each([
  'README.md',
  'pr/12/0001-granted.txt',
  'pr/12/0001-sneaky.json',
  'pr/0/0001-granted.json',
  'pr/12/1-granted.json',
  'pr/12/0001-granted.json/x',
  'other/12/0001-granted.json',
])('%s is not a record', (path) => {
  expect(parseRecordPath(path)).toBeUndefined();
});

test('a record path round-trips through its parser', () => {
  const path = recordPath({ v: 1, pr: 4, at, kind: 'revoked', by: 'bob', commentId: 77 }, 2);
  expect(path).toBe('pr/4/0002-revoked-c77.json');
  expect(parseRecordPath(path)).toMatchObject({ pr: 4, seq: 2, kind: 'revoked', commentId: 77 });
});

describe('what the index concludes', () => {
  const cases: [string, string[], { final: boolean; live: boolean; revoked: boolean }][] = [
    ['nothing recorded', [], { final: false, live: false, revoked: false }],
    ['granted', ['0001-granted'], { final: true, live: true, revoked: false }],
    ['refused', ['0001-refused'], { final: true, live: false, revoked: false }],
    ['skipped', ['0001-skipped'], { final: true, live: false, revoked: false }],
    [
      'revoked, not yet removed',
      ['0001-granted', '0002-revoked-c9'],
      { final: true, live: true, revoked: true },
    ],
    [
      'revoked and removed',
      ['0001-granted', '0002-revoked-c9', '0003-removed'],
      { final: true, live: false, revoked: true },
    ],
    [
      'a refused /revoke',
      ['0001-granted', '0002-revoke-refused-c9'],
      { final: true, live: true, revoked: false },
    ],
  ];
  test.each(cases)('%s', (_, names, expected) => {
    const index = new LogIndex(names.map((n) => `pr/3/${n}.json`));
    expect(index.isFinal(3)).toBe(expected.final);
    expect(index.liveGrants().includes(3)).toBe(expected.live);
    expect(index.has(3, 'revoked')).toBe(expected.revoked);
    expect(index.nextSeq(3)).toBe(names.length + 1);
  });

  test('a /revoke comment is answered once its id is in a record path', () => {
    const index = new LogIndex(['pr/3/0001-granted.json', 'pr/3/0002-revoke-refused-c9.json']);
    expect(index.answered(3, 9)).toBe(true);
    expect(index.answered(3, 10)).toBe(false);
    expect(index.answered(4, 9)).toBe(false);
  });
});

describe('a request naming several accounts (decision 027)', () => {
  test('its per-account paths round-trip', () => {
    const path = recordPath(
      { v: 1, pr: 4, at, kind: 'skipped', reason: 'x', target: { account: 'prod', of: 2 } },
      3,
    );
    expect(path).toBe('pr/4/0003-skipped.prod.of2.json');
    expect(parseRecordPath('pr/4/0003-revoke-refused-c5.stag-ing.of12.json')).toMatchObject({
      kind: 'revoke-refused',
      commentId: 5,
      target: { account: 'stag-ing', of: 12 },
    });
    expect(parseRecordPath('pr/4/0003-granted.prod.json')).toBeUndefined();
    expect(parseRecordPath('pr/4/0003-granted.prod.of0.json')).toBeUndefined();
  });

  const cases: [
    string,
    string[],
    { final: boolean; prod: boolean; staging: boolean; live: boolean },
  ][] = [
    [
      'one of two granted',
      ['0001-granted.prod.of2'],
      { final: false, prod: true, staging: false, live: true },
    ],
    [
      'both granted',
      ['0001-granted.prod.of2', '0002-granted.staging.of2'],
      { final: true, prod: true, staging: true, live: true },
    ],
    [
      'one granted, one refused on a conflict',
      ['0001-granted.prod.of2', '0002-refused.staging.of2'],
      { final: true, prod: true, staging: true, live: true },
    ],
    [
      'refused as a whole',
      ['0001-refused'],
      { final: true, prod: true, staging: true, live: false },
    ],
    [
      'revoked as a whole before the second account was granted',
      ['0001-granted.prod.of2', '0002-revoked-c9'],
      { final: true, prod: true, staging: true, live: true },
    ],
    [
      'one account removed, the other live',
      ['0001-granted.prod.of2', '0002-granted.staging.of2', '0003-removed.prod.of2'],
      { final: true, prod: true, staging: true, live: true },
    ],
    [
      'both removed',
      [
        '0001-granted.prod.of2',
        '0002-granted.staging.of2',
        '0003-removed.prod.of2',
        '0004-removed.staging.of2',
      ],
      { final: true, prod: true, staging: true, live: false },
    ],
  ];
  test.each(cases)('%s', (_, names, expected) => {
    const index = new LogIndex(names.map((n) => `pr/3/${n}.json`));
    expect(index.isFinal(3)).toBe(expected.final);
    expect(index.isFinalFor(3, 'prod')).toBe(expected.prod);
    expect(index.isFinalFor(3, 'staging')).toBe(expected.staging);
    expect(index.liveGrants().includes(3)).toBe(expected.live);
  });
});
