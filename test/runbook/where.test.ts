import type { CloudTrailRecord, EventSource } from '../../src/runbook/event.js';
import { runRunbook } from '../../src/runbook/engine.js';
import { bind, parseRunbook } from '../../src/runbook/parse.js';

const ME = 'arn:aws:iam::111122223333:user/me';
const NOW = new Date('2026-03-31T00:00:00Z');

const rec = (eventTime: string, fields: Partial<CloudTrailRecord> = {}): CloudTrailRecord => ({
  eventTime,
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  awsRegion: 'eu-west-1',
  userIdentity: { arn: ME },
  ...fields,
});

/** Hand-counted records: the expected counts below are read off this list. */
const RECORDS = [
  rec('2026-03-01T10:00:00Z', { requestParameters: { bucketName: 'logs-a' } }),
  rec('2026-03-02T10:00:00Z', {
    requestParameters: { bucketName: 'logs-b' },
    errorCode: 'AccessDenied',
  }),
  rec('2026-03-28T10:00:00Z', {
    eventName: 'PutObject',
    requestParameters: { bucketName: 'data' },
  }),
  rec('2026-03-29T10:00:00Z', {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    requestParameters: null,
  }),
  rec('2026-03-30T10:00:00Z', { userIdentity: { arn: 'arn:aws:iam::111122223333:user/other' } }),
  rec('2026-01-01T10:00:00Z'), // outside the window
];

const source: EventSource = {
  name: 'memory',
  async *events() {
    yield* RECORDS;
  },
};

async function count(where: string): Promise<number> {
  const text = `name: t\ntitle: T\nwindow:\n  since: 30d\nparameters:\n  bucket: {}\nqueries:\n  - id: q\n    title: Q\n    where:\n${where}`;
  const parsed = parseRunbook(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const bound = bind(parsed.value, { principal: ME, bucket: 'data' });
  if (!bound.ok) throw new Error(JSON.stringify(bound.problems));
  const result = await runRunbook(bound.value, source, NOW);
  return result.results[0]!.rows[0]!.count;
}

test.each([
  ['      eventName: GetObject\n', 2],
  ['      eventName: [GetObject, PutObject]\n', 3],
  ['      requestParameters.bucketName: { prefix: logs- }\n', 2],
  ["      requestParameters.bucketName: { like: '*-?' }\n", 2],
  ['      requestParameters.bucketName: "{{bucket}}"\n', 1],
  ['      errorCode: { present: true }\n', 1],
  ['      errorCode: { present: false }\n', 3],
  ['      errorCode: null\n', 3],
  ['      eventName: { not: [GetObject] }\n', 2],
  ['      eventTime: { within: 7d }\n', 2],
  [
    "      eventTime: { between: { from: '2026-03-02T00:00:00Z', to: '2026-03-29T00:00:00Z' } }\n",
    2,
  ],
  [
    '      eventSource: s3.amazonaws.com\n      eventName: GetObject\n      errorCode: { present: false }\n',
    1,
  ],
])('%s→ %i records', async (where, expected) => {
  expect(await count(where)).toBe(expected);
});

test('a bad time in between is refused with its line', () => {
  const parsed = parseRunbook(
    "name: t\ntitle: T\nwindow:\n  since: 30d\nqueries:\n  - id: q\n    title: Q\n    where:\n      eventTime: { between: { from: 'last tuesday' } }\n",
  );
  expect(parsed.ok ? [] : parsed.problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
    expect.stringMatching(/^9: "last tuesday" is not a UTC time/),
  ]);
});
