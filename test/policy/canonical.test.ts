import { buildPolicy } from '../../src/policy/build.js';
import { canonicalPolicy, policyDocumentsEqual } from '../../src/policy/canonical.js';

const window = {
  start: new Date('2026-11-25T10:00:00Z'),
  expiry: new Date('2026-11-25T12:00:00Z'),
};
const built = buildPolicy({
  requestId: 'r1',
  requester: 'alice',
  principalArn: 'arn:aws:iam::123456789012:user/alice',
  statements: [{ actions: ['s3:GetObject', 's3:ListBucket'], resources: ['arn:aws:s3:::b/*'] }],
  window,
});
const document = built.ok ? built.value.document : undefined;

test('a document as IAM may return it equals the one built', () => {
  const asReturned = {
    Version: '2012-10-17',
    Statement: {
      Effect: 'Allow',
      Sid: 'Jit0',
      Resource: 'arn:aws:s3:::b/*',
      Action: ['S3:LISTBUCKET', 's3:getobject'],
      Condition: {
        DateLessThan: { 'aws:currenttime': '2026-11-25T12:00:00Z' },
        DateGreaterThan: { 'aws:CurrentTime': ['2026-11-25T10:00:00Z'] },
      },
    },
  };
  expect(policyDocumentsEqual(document, asReturned)).toBe(true);
});

test('a different window, resource or action is a different document', () => {
  const text = JSON.stringify(document);
  for (const [from, to] of [
    ['12:00:00Z', '13:00:00Z'],
    ['b/*', 'c/*'],
    ['s3:GetObject', 's3:PutObject'],
  ])
    expect(policyDocumentsEqual(document, JSON.parse(text.replace(from!, to!)))).toBe(false);
  expect(canonicalPolicy(document)).toBe(canonicalPolicy(JSON.parse(text)));
});
