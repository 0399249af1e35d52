import { decodeUtf8, firstInvalidByte } from '../../src/text/decode.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))),
  );

test('UTF-8 text decodes as written, a UTF-8 byte order mark is dropped', () => {
  expect(decodeUtf8(bytes('reason: café ☕\n'))).toEqual({ ok: true, value: 'reason: café ☕\n' });
  expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'a: b\n'))).toEqual({ ok: true, value: 'a: b\n' });
});

test('a bad byte is refused with its offset, line and column, never replaced by U+FFFD', () => {
  const result = decodeUtf8(bytes('requester: octocat\nreason: caf', [0xe9], ' au lait\n'));
  expect(result).toEqual({
    ok: false,
    problems: [
      {
        path: '',
        severity: 'error',
        code: 'INVALID_UTF8',
        line: 2,
        column: 12,
        message:
          'byte 0xE9 at offset 30 (line 2, column 12) is not valid UTF-8: save the file as UTF-8 and retype the character there',
      },
    ],
  });
});

test.each([
  ['a lone continuation byte', [0x80], 0],
  ['an overlong slash', [0xc0, 0xaf], 0],
  ['an encoded surrogate', [0xed, 0xa0, 0x80], 0],
  ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
  ['a sequence cut short by text', [0xe2, 0x82, 0x41], 0],
  ['a sequence cut short by the end', [0x41, 0xe2, 0x82], 1],
])('%s is found at its lead byte', (_name, raw, offset) => {
  const input = bytes(raw);
  expect(firstInvalidByte(input)).toBe(offset);
  expect(decodeUtf8(input).ok).toBe(false);
});

test('columns count characters, not bytes, before the bad byte', () => {
  const result = decodeUtf8(bytes('a: ☕☕', [0xff]));
  expect(result.ok || result.problems[0]).toMatchObject({ line: 1, column: 6 });
});

test.each([
  ['UTF-16 (little-endian)', [0xff, 0xfe, 0x61, 0x00]],
  ['UTF-16 (big-endian)', [0xfe, 0xff, 0x00, 0x61]],
  ['UTF-32 (little-endian)', [0xff, 0xfe, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00]],
])('a %s file is told to save as UTF-8', (name, raw) => {
  const result = decodeUtf8(bytes(raw));
  expect(result.ok || result.problems[0]).toMatchObject({
    code: 'NOT_UTF8',
    line: 1,
    message: expect.stringContaining(`the file is ${name}, not UTF-8: save it as UTF-8`),
  });
});
