/**
 * Property: whatever a requester or a CloudTrail event puts in a string, the markdown a reviewer
 * reads renders it as text in the place the template gave it. Hostile strings are generated from
 * the pieces that break markdown (backslashes, pipes, backticks, HTML, autolinks, mentions, line
 * endings, bidi and zero-width controls) and rendered by micromark with GFM and raw HTML on.
 */
import fc from 'fast-check';
import type { RunbookResult } from '../../src/runbook/model.js';
import { cell, code, fenced } from '../../src/report/escape.js';
import { renderRunbookReport } from '../../src/report/runbook.js';
import { outsideCode, renderGfmWithHtml as render } from './render.js';

const PIECES = [
  '\\',
  '\\\\',
  '|',
  '\\|',
  '`',
  '``',
  '```',
  '~~~',
  ' ',
  '    ',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '<img src=x onerror=alert(1)>',
  '<a href="https://evil.example">',
  '</code>',
  '</td></tr>',
  '<details open>',
  '<!--',
  '-->',
  '&#64;',
  '&lt;',
  'https://evil.example/x',
  'http://evil.example',
  'www.evil.example',
  'user@evil.example',
  '@octocat',
  '@acme/admins',
  '#12',
  'acme/repo#3',
  'GH-4',
  '[x](https://evil.example)',
  '![x](https://evil.example/p.png)',
  '<https://evil.example>',
  '*',
  '_',
  '#',
  '>',
  '- ',
  '---',
  ':+1:',
  '$x$',
  '\u202e',
  '\u2066',
  '\u2069',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u0000',
  '\u001b[31m',
  '\u0085',
  '\u2028',
  'prоd',
  '✅',
  '🚩',
  'a',
  'é',
];

const hostile = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...PIECES) },
      fc.string({ maxLength: 4, unit: 'binary' }),
    ),
    {
      maxLength: 12,
    },
  )
  .map((parts) => parts.join(''));

const SETTINGS = { seed: 0x5eed, numRuns: 400 };
const BIG = 10_000;

/** The symbols the reports use for their verdicts: a value shows their code points instead. */
const STATUS = ['☑', '✅', '✓', '✔', '✖', '❌', '❎', '⚠', '⏱', '⏳', '🚩', '🟢'];

/** What the reviewer must see: the value, hidden characters as visible placeholders (empty: a blank span). */
function expectedText(value: string, lineEnding: 'inline' | 'block'): string {
  if (value === '' && lineEnding === 'inline') return ' ';
  const text = lineEnding === 'block' ? value.replace(/\r\n/g, '\n') : value;
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n') out += lineEnding === 'inline' ? '\u240a' : '\n';
    else if (cp < 0x20) out += String.fromCodePoint(0x2400 + cp);
    else if (cp === 0x7f) out += '\u2421';
    else if (/[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u.test(ch))
      out += `<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>`;
    else if (STATUS.includes(ch)) out += `<U+${cp.toString(16).toUpperCase()}>`;
    else out += ch;
  }
  return out;
}

/** The text of rendered code spans and the plain pipes between them. */
const text = (html: string): string =>
  html
    .replace(/<\/?code>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Only code spans and plain `|` between them: no element, link or mention can hide there. */
const SPANS = /^(?:<code>[^<]*<\/code>|\|)*$/;

/** `@login`, `#123` and links GitHub makes from text outside code, which micromark does not. */
const LIVE = /@[A-Za-z0-9]|#\d|https?:|www\.|<a[\s>]|<img/;

describe('escaped values render as their own text wherever the reports put them', () => {
  test('in a table cell: one cell, code spans only, the value shown', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const html = render(
          `| k | v | n |\n| --- | --- | --- |\n| key | ${cell(value, BIG)} | 1 |\n`,
        );
        const row =
          /<tbody>\n<tr>\n<td>key<\/td>\n<td>(.*)<\/td>\n<td>1<\/td>\n<\/tr>\n<\/tbody>/.exec(html);
        expect(row).not.toBeNull();
        expect(row![1]).toMatch(SPANS);
        expect(text(row![1]!)).toBe(expectedText(value, 'inline'));
        expect(outsideCode(html)).not.toMatch(LIVE);
      }),
      SETTINGS,
    );
  });

  test.each([
    ['a paragraph', (v: string) => `before ${v} after`, /^<p>before (.*) after<\/p>$/],
    ['a line start', (v: string) => `${v} is it`, /^<p>(.*) is it<\/p>$/],
    ['a heading', (v: string) => `### ${v} heading`, /^<h3>(.*) heading<\/h3>$/],
    ['a list item', (v: string) => `- ${v}: why`, /^<ul>\n<li>(.*): why<\/li>\n<\/ul>$/],
  ])('in %s: code spans only, the value shown', (_, template, shape) => {
    fc.assert(
      fc.property(hostile, (value) => {
        const html = render(template(code(value, { max: BIG }))).trimEnd();
        const inside = shape.exec(html);
        expect({ html, matched: inside !== null }).toMatchObject({ matched: true });
        expect(inside![1]).toMatch(SPANS);
        expect(text(inside![1]!)).toBe(expectedText(value, 'inline'));
        expect(outsideCode(html)).not.toMatch(LIVE);
      }),
      SETTINGS,
    );
  });

  test('in a fenced block: one block, nothing after it swallowed, the value shown', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const html = render(`${fenced(value, 'text')}\n\nafter @octo`).trimEnd();
        const block =
          /^<pre><code class="language-text">([^<]*)<\/code><\/pre>\n<p>after @octo<\/p>$/.exec(
            html,
          );
        expect({ html, matched: block !== null }).toMatchObject({ matched: true });
        expect(text(block![1]!)).toBe(`${expectedText(value, 'block')}\n`);
      }),
      SETTINGS,
    );
  });
});

function report(value: string): RunbookResult {
  return {
    runbook: 'requester-context',
    window: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z' },
    results: [
      { id: 'risk-flags', title: 'Risk flags', rows: [{ flag: value, count: 1 }] },
      {
        id: 'user-agents',
        title: 'User agents',
        rows: [{ userAgent: value, errorMessage: value, new: true, count: 2 }],
      },
      {
        id: 'jit-grants',
        title: 'Earlier grants',
        rows: [{ policyArn: value, actions: [{ action: value, count: 1 }], count: 1 }],
      },
    ],
  };
}

const tags = (html: string): string[] =>
  (outsideCode(html).match(/<\/?[a-z][a-z0-9]*/g) ?? []).filter((t) => t !== '<code').sort();

test('the CloudTrail report keeps its own elements and columns for any field value', () => {
  const template = tags(render(renderRunbookReport(report('x'), { principal: 'x' })));
  fc.assert(
    fc.property(hostile, (value) => {
      const html = render(renderRunbookReport(report(value), { principal: value }));
      expect(tags(html)).toEqual(template);
      expect(outsideCode(html)).not.toMatch(LIVE);
      for (const table of html.match(/<table>[\s\S]*?<\/table>/g) ?? []) {
        const columns = (table.match(/<th[ >]/g) ?? []).length;
        for (const row of table.match(/<tr>[\s\S]*?<\/tr>/g)!.slice(1))
          expect((row.match(/<td[ >]/g) ?? []).length).toBe(columns);
      }
    }),
    { ...SETTINGS, numRuns: 150 },
  );
});
