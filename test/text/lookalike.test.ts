import { describeCodePoint } from '../../src/text/codepoint.js';
import { textProblem } from '../../src/text/lookalike.js';

describe('values that may be any text (resources, condition values)', () => {
  test.each([
    [
      'prоd',
      'mixes Latin and Cyrillic letters in the word "prоd": U+043E (Cyrillic small letter "о") at character 3',
    ],
    ['env рrod', 'U+0440 (Cyrillic small letter "р") at character 5'],
    ['Ωmega', 'mixes Latin and Greek letters'],
    ['arn:aws:s3:::logs\u200b/*', 'U+200B (ZERO WIDTH SPACE) at character 18'],
    ['team\u202eved', 'U+202E (RIGHT-TO-LEFT OVERRIDE)'],
    ['a\u00a0b', 'U+00A0 (NO-BREAK SPACE) at character 2, which looks like a space'],
    ['prod\n', 'line break at character 5'],
    ['tag\u{e0041}', 'U+E0041 (invisible format character)'],
  ])('%j is refused: %s', (text, message) => {
    expect(textProblem(text, 'value')).toContain(message);
  });

  test.each([
    'prod',
    'Москва prod',
    'naïve café',
    '東京Tokyo',
    'ソウル서울',
    'arn:aws:s3:::b/фото/*',
    'Ελλάδα-1',
    'x.y_z/2',
  ])('%j is accepted: one script per word, or Latin with CJK', (text) => {
    expect(textProblem(text, 'value')).toBeUndefined();
  });
});

describe('identifiers (actions, condition keys, ARNs of principals, names)', () => {
  test('a Greek omicron in an action is named', () => {
    expect(textProblem('s3:GetΟbject', 'identifier')).toBe(
      'contains U+039F (Greek capital letter "Ο") at character 7, which is not ASCII: IAM names and identifiers are ASCII; retype it',
    );
  });

  test('accented letters are not ASCII either; ASCII passes', () => {
    expect(textProblem('café', 'identifier')).toContain('U+00E9 (Latin small letter "é")');
    expect(textProblem('s3:GetObject', 'identifier')).toBeUndefined();
  });
});

test('code points are described from Unicode properties', () => {
  expect(describeCodePoint('о')).toBe('U+043E (Cyrillic small letter "о")');
  expect(describeCodePoint('\u0085')).toBe('U+0085 (control character)');
  expect(describeCodePoint('\u{1F600}')).toBe('U+1F600 (symbol or punctuation "😀")');
});
