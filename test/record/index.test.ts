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
