/**
 * The hostile corpus: every file in test/fixtures/requests/invalid/ must be refused with exactly
 * the problems expected.json lists for it (a file without an entry fails), and every file in
 * valid/ must parse and resolve against the example jit.config.yaml.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Problem } from '../../src/problem.js';
import { checkFile, exampleConfig } from './corpus.js';

interface Expectation {
  path?: string;
  line?: number;
  messageIncludes: string;
}

const DIR = 'test/fixtures/requests';
const config = exampleConfig();
const expected = JSON.parse(readFileSync(`${DIR}/invalid/expected.json`, 'utf8')) as Record<
  string,
  Expectation[]
>;
const invalid = readdirSync(`${DIR}/invalid`).filter((f) => f !== 'expected.json');
const valid = readdirSync(`${DIR}/valid`);

const matches = (p: Problem, e: Expectation): boolean =>
  (e.path === undefined || p.path === e.path) &&
  (e.line === undefined || p.line === e.line) &&
  p.message.includes(e.messageIncludes);

test('the corpus is big enough and every file has an expectation', () => {
  expect(invalid.length).toBeGreaterThanOrEqual(45);
  expect(invalid.filter((f) => !(f in expected))).toEqual([]);
  expect(Object.keys(expected).filter((f) => !invalid.includes(f))).toEqual([]);
});

describe.each(invalid)('invalid/%s', (file) => {
  const problems = checkFile(`${DIR}/invalid/${file}`, config);
  const wanted = expected[file] ?? [];

  test('is refused with every expected problem', () => {
    for (const e of wanted)
      expect({ e, found: problems.some((p) => matches(p, e)) }).toEqual({ e, found: true });
  });

  test('reports nothing unexpected', () => {
    const unexpected = problems.filter((p) => !wanted.some((e) => matches(p, e)));
    expect(unexpected).toEqual([]);
  });

  test('every problem is an error with file, line and column', () => {
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p).toMatchObject({ severity: 'error', file: `${DIR}/invalid/${file}` });
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.column).toBeGreaterThanOrEqual(1);
    }
  });
});

test.each(valid)('valid/%s parses and resolves', (file) => {
  expect(checkFile(`${DIR}/valid/${file}`, config)).toEqual([]);
});

test('nothing in the corpus polluted Object.prototype', () => {
  const probe = {} as Record<string, unknown>;
  expect(probe.isAdmin ?? probe.polluted).toBeUndefined();
});
