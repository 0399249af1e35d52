import { readFileSync } from 'node:fs';
import { bind, parseRunbook } from '../../src/runbook/parse.js';

const DEFAULT = readFileSync('runbooks/requester-context.yaml', 'utf8');

const problemsOf = (text: string) => {
  const parsed = parseRunbook(text, 'runbooks/x.yaml');
  return parsed.ok ? [] : parsed.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`);
};

const minimal = (queries: string, extra = '') =>
  `name: x\ntitle: X\nwindow:\n  since: 7d\n${extra}queries:\n${queries}`;

test('the default runbook parses and binds', () => {
  const parsed = parseRunbook(DEFAULT);
  expect(parsed.ok).toBe(true);
  if (!parsed.ok) return;
  expect(parsed.value.parameters.map((p) => p.name)).toEqual([
    'principal',
    'account',
    'requested_actions',
  ]);
  const bound = bind(parsed.value, {
    principal: 'arn:aws:iam::123456789012:user/alice',
    requested_actions: ['s3:GetObject'],
  });
  expect(bound.ok && bound.value.sinceMs).toBe(30 * 86_400_000);
  const requested = bound.ok && bound.value.queries.find((q) => q.id === 'requested-actions');
  expect(requested).toMatchObject({ kind: 'requested-actions', actions: ['s3:GetObject'] });
});

test('schema errors name the field and its line', () => {
  expect(problemsOf(minimal('  - id: a\n    title: A\n    groupby: [eventName]\n'))).toEqual([
    expect.stringMatching(/^8: queries\[0\]\.groupby: .*groupBy/),
  ]);
  expect(problemsOf(minimal('  - id: a\n    title: A\n    top: many\n'))).toEqual([
    expect.stringMatching(/^8: queries\[0\]\.top: /),
  ]);
  expect(problemsOf('name: x\ntitle: X\nwindow:\n  since: 30 days\nqueries: []\n')).toEqual(
    expect.arrayContaining([expect.stringMatching(/^4: window\.since: .*30d/)]),
  );
});

test('unsafe YAML is refused by the safe parser, with its line', () => {
  expect(problemsOf('name: x\nname: y\n')).toEqual([
    expect.stringMatching(/^2: name: duplicate key/),
  ]);
  expect(problemsOf('a: &x 1\nb: *x\n')[0]).toMatch(/anchors/);
});

test('titles cannot carry markdown or HTML', () => {
  expect(problemsOf(minimal('  - id: a\n    title: "<img src=x> @team"\n'))).toEqual([
    expect.stringMatching(/^7: queries\[0\]\.title: .*plain text/),
  ]);
});

test('ids are unique, flags name earlier queries, parameters are declared whole values', () => {
  expect(problemsOf(minimal('  - id: a\n    title: A\n  - id: a\n    title: B\n'))).toEqual([
    expect.stringMatching(/^8: queries\[1\]\.id: id "a" is also query 1's/),
  ]);
  expect(
    problemsOf(
      minimal(
        '  - id: f\n    title: F\n    analysis: risk-flags\n    flags:\n      - { id: x, title: X, query: later }\n  - id: later\n    title: L\n',
      ),
    ),
  ).toEqual([expect.stringMatching(/names query "later", which is not an earlier query/)]);
  expect(
    problemsOf(
      minimal('  - id: a\n    title: A\n    where:\n      userIdentity.arn: "{{nobody}}"\n'),
    ),
  ).toEqual([expect.stringMatching(/^9: .*parameter "nobody" is not declared/)]);
  expect(
    problemsOf(
      minimal('  - id: a\n    title: A\n    where:\n      userIdentity.arn: "arn:{{principal}}"\n'),
    ),
  ).toEqual([expect.stringMatching(/whole value/)]);
});

test('a parameter is bound as a value: operators and wildcards in it stay literal', () => {
  const parsed = parseRunbook(
    minimal(
      '  - id: a\n    title: A\n    where:\n      userAgent: "{{agent}}"\n      requestParameters.bucketName: { prefix: "{{agent}}" }\n',
      'parameters:\n  agent: {}\n',
    ),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const bound = bind(parsed.value, { principal: 'p', agent: '*{"present":true}' });
  if (!bound.ok) throw new Error('bind');
  expect(bound.value.queries[0]!.where).toEqual([
    { path: 'userAgent', condition: { kind: 'in', values: ['*{"present":true}'] } },
    {
      path: 'requestParameters.bucketName',
      condition: { kind: 'prefix', values: ['*{"present":true}'] },
    },
  ]);
});

test('binding reports missing and unknown parameters', () => {
  const parsed = parseRunbook(DEFAULT);
  if (!parsed.ok) throw new Error('parse');
  const bound = bind(parsed.value, { requester: 'x' });
  expect(bound.ok ? [] : bound.problems.map((p) => p.message)).toEqual([
    'parameter "principal" is required',
    'runbook requester-context has no parameter "requester"',
  ]);
});
