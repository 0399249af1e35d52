import { cell, code, fenced } from '../../src/report/escape.js';
import { outsideCode, renderGfm, renderGfmWithHtml } from './render.js';

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
  test.each(HOSTILE)('keeps %j inert: code spans with at most plain pipes between', (value) => {
    const html = renderGfm(`before ${code(value)} after`);
    const outside = outsideCode(html);
    expect(outside).not.toMatch(/<a |<img |<script|<details|<b>|<strong>/);
    expect(outside).not.toMatch(/@|#\d|https?:|www\./);
    expect(outside.trimEnd()).toMatch(/^<p>before (?:<code\/>|\|)+ after<\/p>$/);
  });

  test('the visible text is the value, with hidden characters shown as placeholders', () => {
    const html = renderGfm(code('a `tick` and <tag> & @me'));
    expect(html).toBe('<p><code>a `tick` and &lt;tag&gt; &amp; @me</code></p>');
    expect(renderGfm(code('\u202eabc\u200b'))).toBe(
      '<p><code>&lt;U+202E&gt;abc&lt;U+200B&gt;</code></p>',
    );
    expect(renderGfm(code('one\r\ntwo\tthree'))).toBe(
      '<p><code>one\u240d\u240atwo\u2409three</code></p>',
    );
  });

  test("a value cannot show the reports' own verdict symbols: it shows their code points", () => {
    expect(code('✅ approved by security, ✔ ☑ 🟢 ❌ ⚠ 🚩')).toBe(
      '`<U+2705> approved by security, <U+2714> <U+2611> <U+1F7E2> <U+274C> <U+26A0> <U+1F6A9>`',
    );
    expect(fenced('{"note": "✅"}')).toContain('<U+2705>');
  });

  test('spaces at both ends survive (a span strips one from each end)', () => {
    expect(renderGfm(code(' x '))).toBe('<p><code> x </code></p>');
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

describe('a backslash before a pipe (regression: it used to end the cell)', () => {
  const hostile = 'aws-cli/2 x\\|<img src=x onerror=alert(1)> @octocat';

  test('the value stays in its cell, inert, and is shown as written', () => {
    const md = `| a | b |\n| --- | --- |\n| ${cell(hostile)} | ok |\n`;
    const html = renderGfmWithHtml(md);
    expect(html).not.toContain('<img');
    expect(outsideCode(html)).not.toContain('@octocat');
    expect(html.match(/<td>/g)).toHaveLength(2);
    expect(html).toContain('<td>ok</td>');
    expect(html).toContain(
      '<td><code>aws-cli/2 x\\</code>|<code>&lt;img src=x onerror=alert(1)&gt; @octocat</code></td>',
    );
  });

  test.each(['\\|', '\\\\|', 'a\\|b\\|c', '|\\', '\\||\\'])('%j keeps one cell', (value) => {
    const html = renderGfmWithHtml(`| a | b |\n| --- | --- |\n| ${cell(value)} | ok |\n`);
    expect(html.match(/<td>/g)).toHaveLength(2);
    const shown = /<td>(.*?)<\/td>/.exec(html)![1]!.replace(/<\/?code>/g, '');
    expect(shown).toBe(value);
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
