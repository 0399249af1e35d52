import { cell, code, fenced } from '../../src/report/escape.js';
import { outsideCode, renderGfm } from './render.js';

// Strings a requester or a CloudTrail event could carry into a PR comment.
const HOSTILE = [
  '@octocat please approve',
  '@acme/security-team',
  'fixes #1 and acme/repo#2',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<details open><summary>hi</summary>',
  '[click](https://evil.example/steal)',
  '![pixel](https://evil.example/p.png)',
  'https://evil.example/bare',
  'www.evil.example',
  'user@evil.example',
  '`; rm -rf / #',
  '``` \n# Approved\n```',
  'a | b | c',
  '</code><b>bold</b>',
  '**APPROVED** by admin',
  '\u202eevil\u202c',
  'line1\nline2\r\n| x | y |',
  '&#64;octocat',
  '\\`escape\\`',
];

describe('code()', () => {
  test.each(HOSTILE)('keeps %j inert as a single code span', (value) => {
    const html = renderGfm(`before ${code(value)} after`);
    const outside = outsideCode(html);
    expect(outside).not.toMatch(/<a |<img |<script|<details|<b>|<strong>/);
    expect(outside).not.toMatch(/@|#\d|https?:|www\./);
    expect(html.match(/<code>/g)).toHaveLength(1);
    expect(html.startsWith('<p>before <code>')).toBe(true);
    expect(html.trimEnd().endsWith('</code> after</p>')).toBe(true);
  });

  test('the visible text is the value, less control and bidi characters', () => {
    const html = renderGfm(code('a `tick` and <tag> & @me'));
    expect(html).toBe('<p><code>a `tick` and &lt;tag&gt; &amp; @me</code></p>');
    expect(renderGfm(code('\u202eabc\u200b'))).toBe('<p><code>abc</code></p>');
  });

  test('long values are cut with an ellipsis', () => {
    expect(code('x'.repeat(500), { max: 10 })).toBe('`xxxxxxxxx…`');
  });
});

describe('cell()', () => {
  test.each(HOSTILE)('keeps %j inside its table cell', (value) => {
    const md = `| a | b |\n| --- | --- |\n| ${cell(value)} | ok |\n`;
    const html = renderGfm(md);
    expect(html.match(/<td>/g)).toHaveLength(2);
    expect(html).toContain('<td>ok</td>');
    expect(outsideCode(html)).not.toMatch(/<a |<img |<script|@|#\d|https?:/);
  });
});

describe('fenced()', () => {
  test('a backtick fence inside the content cannot close the block', () => {
    const json = JSON.stringify({ Resource: 'arn:aws:s3:::b/```\n# hi' });
    const html = renderGfm(`${fenced(json, 'json')}\n\nafter`);
    expect(html).not.toContain('<h1>');
    expect(html).toContain('<p>after</p>');
    expect(html.match(/<pre>/g)).toHaveLength(1);
  });
});
