import { COMMENT_LIMIT, fitComment } from '../../src/report/fit.js';
import { renderGfm } from './render.js';

test('a body under the limit is returned unchanged', () => {
  expect(fitComment('# hi\n')).toBe('# hi\n');
});

test('a long body is cut under the limit with a note saying how much was left out', () => {
  const body = Array.from({ length: 5000 }, (_, i) => `| row ${i} | ${'x'.repeat(20)} |`).join(
    '\n',
  );
  const fitted = fitComment(body);
  expect(fitted.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  expect(fitted).toMatch(/(\d+) characters were left out/);
  const omitted = Number(/(\d+) characters were left out/.exec(fitted)?.[1]);
  expect(fitted.split('\n\n> [!NOTE]')[0]!.length + omitted).toBe(body.length);
});

test('a cut inside a code fence and a details block closes both', () => {
  const body = `<details>\n<summary>Policy</summary>\n\n\`\`\`json\n${'{"a":1}\n'.repeat(20000)}\`\`\`\n</details>\n`;
  const fitted = fitComment(body, 10_000);
  expect(fitted.length).toBeLessThanOrEqual(10_000);
  const html = renderGfm(fitted);
  // The note after the cut renders as a blockquote, not as code.
  expect(html).toMatch(/<blockquote>[\s\S]*cut to fit/);
  expect((fitted.match(/<\/details>/g) ?? []).length).toBe(1);
});
