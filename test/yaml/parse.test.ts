import { MAX_YAML_BYTES, parseYaml, type YamlDoc } from '../../src/yaml/parse.js';
import type { Problem } from '../../src/problem.js';

function parsed(text: string): YamlDoc {
  const result = parseYaml(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

function problems(text: string): Problem[] {
  const result = parseYaml(text);
  if (result.ok) throw new Error(`expected problems for ${JSON.stringify(text)}`);
  return result.problems;
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('values', () => {
  test('plain scalars follow the YAML 1.2 core schema; quoted scalars are text', () => {
    const doc = parsed(
      'a: 2\nb: "2"\nc: true\nd: yes\ne: ~\nf: 2026-01-01T00:00:00Z\ng: 012345678912\nh: 0x1f\ni: 1.5\nj: off\nk:\n',
    );
    expect(plain(doc.value)).toEqual({
      a: 2,
      b: '2',
      c: true,
      d: 'yes',
      e: null,
      f: '2026-01-01T00:00:00Z',
      g: 12345678912,
      h: 31,
      i: 1.5,
      j: 'off',
      k: null,
    });
  });

  test('the raw source of a scalar is kept, so a lost leading zero can be explained', () => {
    expect(parsed('account: 012345678912\n').raw('account')).toBe('012345678912');
  });

  test('block scalars, flow collections and CRLF line ends', () => {
    const doc = parsed('reason: |\r\n  line one\r\n  line two\r\nlist: [a, {b: c}]\r\n');
    expect(plain(doc.value)).toEqual({ reason: 'line one\nline two\n', list: ['a', { b: 'c' }] });
    expect(doc.position('list[1].b')).toEqual({ line: 4, column: 15 });
  });

  test('an empty file is null', () => {
    expect(parsed('').value).toBeNull();
    expect(parsed('# only a comment\n').value).toBeNull();
  });

  test('objects have no prototype: nothing in the data reaches Object.prototype', () => {
    const value = parsed('a: {b: 1}\n').value as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.getPrototypeOf(value.a)).toBeNull();
    expect((value as Record<string, unknown>).toString).toBeUndefined();
  });

  test('a leading byte order mark is ignored and positions still count it', () => {
    const doc = parsed('\ufeffa: 1\n');
    expect(plain(doc.value)).toEqual({ a: 1 });
  });
});

describe('positions', () => {
  const doc = parsed(
    [
      'requester: octocat',
      'permissions:',
      '  - actions:',
      '      - s3:GetObject',
      '      - s3:ListBucket',
      '    empty:',
      '',
    ].join('\n'),
  );

  test('value, key and nested list positions are 1-based', () => {
    expect(doc.position('')).toEqual({ line: 1, column: 1 });
    expect(doc.position('requester')).toEqual({ line: 1, column: 12 });
    expect(doc.keyPosition('requester')).toEqual({ line: 1, column: 1 });
    expect(doc.position('permissions[0].actions[1]')).toEqual({ line: 5, column: 9 });
    expect(doc.keyPosition('permissions[0].actions')).toEqual({ line: 3, column: 5 });
  });

  test('an empty value is located at its key', () => {
    expect(doc.position('permissions[0].empty')).toEqual({ line: 6, column: 5 });
  });

  test('unknown paths have no position', () => {
    expect(doc.position('nope')).toBeUndefined();
  });

  test('keys that would be ambiguous are quoted in paths', () => {
    const quoted = parsed('principals:\n  "a.b": x\n');
    expect(quoted.position('principals["a.b"]')).toEqual({ line: 2, column: 10 });
  });
});

describe('refusals', () => {
  test.each([
    ['anchor', 'a: &x 1\n', 'anchors', 1, 4],
    ['alias', 'a: 1\nb: *x\n', 'aliases', 2, 4],
    ['explicit !!str tag', 'a: !!str 5\n', 'explicit tags ("!!str")', 1, 4],
    ['local tag', 'a: !foo bar\n', 'explicit tags ("!foo")', 1, 4],
    ['python tag', 'a: !!python/object/apply:os.system ["id"]\n', 'explicit tags', 1, 4],
    ['js function tag', 'a: !!js/function "function(){}"\n', 'explicit tags', 1, 4],
    ['merge key', 'a: 1\n<<: {b: 2}\n', 'merge keys', 2, 1],
    ['duplicate key', 'a: 1\nb: 2\na: 3\n', 'duplicate key "a" (first on line 1)', 3, 1],
    ['number key', '1: x\n', 'key 1 is read as number', 1, 1],
    ['boolean key', 'true: x\n', 'key true is read as boolean', 1, 1],
    ['null key', '~: x\n', 'read as null', 1, 1],
    ['list key', '? [a]\n: x\n', 'mapping key must be text', 1, 3],
    ['__proto__ key', '__proto__: {admin: true}\n', 'key "__proto__" is not allowed', 1, 1],
    ['quoted __proto__ key', '"__proto__": 1\n', 'key "__proto__" is not allowed', 1, 2],
    [
      'constructor key',
      'a:\n  constructor: {prototype: 1}\n',
      'key "constructor" is not allowed',
      2,
      3,
    ],
    ['prototype key', 'prototype: 1\n', 'key "prototype" is not allowed', 1, 1],
    [
      'overlong key',
      `a:\n  ${'k'.repeat(257)}: 1\n`,
      'is 257 characters long; keys are at most 256',
      2,
      3,
    ],
    ['second document', 'a: 1\n---\nb: 2\n', 'only one YAML document', 2, 1],
    ['directive', '%YAML 1.2\n---\na: 1\n', 'directives', 1, 1],
    ['tab indentation', 'a:\n\tb: 1\n', 'YAML syntax error', 2, 1],
    ['unclosed flow', 'a: [1, 2\n', 'the [ on line 1 is never closed', 1, 4],
  ])('%s', (_name, text, message, line, column) => {
    const [first] = problems(text);
    expect(first?.message).toContain(message);
    expect(first).toMatchObject({ line, column, severity: 'error' });
  });

  test('every problem is reported, not only the first', () => {
    const found = problems('a: &x 1\nb: *x\nc: !!str 1\na: 2\n<<: {}\n');
    expect(found.map((p) => p.line)).toEqual([1, 2, 3, 4, 5]);
  });

  test('a polluting document does not pollute', () => {
    problems('__proto__:\n  polluted: true\nconstructor:\n  prototype:\n    polluted: true\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a billion-laughs document is refused without expanding anything', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`,
      );
    }
    const started = Date.now();
    const found = problems(lines.join('\n'));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(found.some((p) => p.message.includes('aliases'))).toBe(true);
  });

  test('input over 64 KiB is refused, never truncated; the limit counts bytes', () => {
    const ascii = `a: "${'x'.repeat(MAX_YAML_BYTES)}"\n`;
    expect(problems(ascii)[0]?.message).toContain('the limit is 65536 bytes');
    // 30 000 three-byte characters: under 64 Ki characters, over 64 KiB.
    expect(problems(`a: "${'€'.repeat(30_000)}"\n`)[0]?.message).toContain('90006 bytes');
    expect(parseYaml(`a: "${'x'.repeat(MAX_YAML_BYTES - 8)}"\n`).ok).toBe(true);
  });

  test('nesting deeper than the cap is refused', () => {
    const deep = `a: ${'['.repeat(40)}${']'.repeat(40)}\n`;
    expect(problems(deep)[0]?.message).toContain('nesting is deeper than 24 levels');
  });

  test('a flood of problems is capped', () => {
    const text = Array.from({ length: 200 }, (_, i) => `k${i}: !!str x`).join('\n');
    const found = problems(text);
    expect(found).toHaveLength(51);
    expect(found[50]?.message).toBe('150 more problems not shown');
  });
});

describe('a syntax error names the likely mistake where it was made', () => {
  test.each([
    [
      'an unquoted ": " inside a value',
      'requester: octocat\nreason: fix: the thing\nduration: 1h\n',
      'the value of reason contains ": ", which YAML reads as the start of another key: quote the whole value, e.g. reason: "fix: the thing"',
      2,
      12,
    ],
    [
      'an unclosed [ read on into the next line',
      'requester: octocat\nprofile: [s3-logs-read\nduration: 2h\n',
      'the [ on line 2 is never closed: add ] at the end of its list',
      2,
      10,
    ],
    [
      'an unclosed [ of quoted ARNs in a statement',
      'permissions:\n  - actions: ["s3:GetObject", "s3:List]"\n    resources: ["*"]\n',
      'the [ on line 2 is never closed: add ] at the end of its list',
      2,
      14,
    ],
    [
      'an unclosed {',
      'conditions: {a: b\nduration: 2h\n',
      'the { on line 1 is never closed: add } at the end of its mapping',
      1,
      13,
    ],
    [
      'an unclosed quote',
      'requester: octocat\nreason: "the export\nduration: 2h\n',
      'the " on line 2 is never closed: end the value with "',
      2,
      9,
    ],
    [
      'a tab in the indentation',
      'requester: octocat\npermissions:\n  - actions: [s3:GetObject]\n  \tresources: ["*"]\n',
      'line 4 is indented with a tab: YAML indents with spaces only, so replace the tab with spaces',
      4,
      3,
    ],
  ])('%s', (_name, text, message, line, column) => {
    expect(problems(text)).toEqual([
      {
        path: '',
        severity: 'error',
        code: 'YAML_SYNTAX',
        message: `YAML syntax error: ${message}`,
        line,
        column,
      },
    ]);
  });

  test('an apostrophe or bracket inside a plain value is not mistaken for an opening', () => {
    expect(parseYaml("reason: it's [really] fine\nnote: {a: 1}\n").ok).toBe(true);
    const [first] = problems("reason: it's [broken\n  bad: indentation\n");
    expect(first?.message).not.toContain('never closed');
  });
});
