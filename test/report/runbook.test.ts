import type { RunbookResult } from '../../src/runbook/model.js';
import { renderRunbookReport } from '../../src/report/runbook.js';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { outsideCode } from './render.js';

/** GitHub passes raw HTML through (then sanitises it), so this render keeps it too: stricter. */
const renderGfm = (markdown: string): string =>
  micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '[click](https://evil.example)',
  '![x](https://evil.example/x.png)',
  '@octocat and @acme/admins',
  'fixes #1 and GH-2',
  'a | b | c',
  '`code` and ``` fence',
  '<details><summary>x</summary>',
  '</details></td></tr></table>',
  'https://evil.example/bare',
  'line\nbreak\u202eevil',
];

function result(hostile: string): RunbookResult {
  return {
    runbook: 'requester-context',
    window: { from: '2026-03-01T12:00:00.000Z', to: '2026-03-31T12:00:00.000Z' },
    results: [
      {
        id: 'daily',
        title: 'Events per day',
        rows: [{ series: { '2026-03-30': 2, '2026-03-31': 1 }, count: 3 }],
      },
      {
        id: 'risk-flags',
        title: 'Risk flags',
        rows: [{ flag: 'new-user-agent', title: 'A new user agent', rows: 1, count: 1 }],
      },
      {
        id: 'user-agents',
        title: 'User agents',
        rows: [
          { userAgent: hostile, firstSeen: '2026-03-30T10:00:00Z', new: true, count: 2 },
          { userAgent: 'aws-cli/2.15.30', firstSeen: '2026-03-01T10:00:00Z', new: false, count: 1 },
        ],
      },
      {
        id: 'actions',
        title: 'Top actions',
        rows: [{ eventSource: 's3.amazonaws.com', eventName: hostile, count: 3 }],
      },
      {
        id: 'jit-grants',
        title: 'Earlier grants',
        rows: [
          {
            policyArn: hostile,
            attachedAt: '2026-03-12T10:00:02Z',
            detachedAt: null,
            actions: [{ action: hostile, count: 2 }],
            count: 2,
          },
        ],
      },
    ],
  };
}

describe.each(HOSTILE)('a hostile CloudTrail value stays inert: %j', (hostile) => {
  const markdown = renderRunbookReport(result(hostile), { principal: hostile });
  const html = renderGfm(markdown);
  const outside = outsideCode(html);

  it('makes no HTML, link, image or mention outside code', () => {
    expect(outside).not.toMatch(/<img|<a |onerror|evil\.example|@octocat|@acme|#1/);
    expect(outside.match(/<details>/g)).toHaveLength(3);
    expect(outside.match(/<\/details>/g)).toHaveLength(3);
  });

  it('keeps every table row to its columns', () => {
    for (const tableHtml of html.match(/<table>[\s\S]*?<\/table>/g) ?? []) {
      const header = (tableHtml.match(/<th[ >]/g) ?? []).length;
      for (const row of tableHtml.match(/<tr>[\s\S]*?<\/tr>/g)!.slice(1))
        expect((row.match(/<td[ >]/g) ?? []).length).toBe(header);
    }
  });
});

test('the report has the chart, open flags and collapsed tables', () => {
  const markdown = renderRunbookReport(result('Boto3/1.34'), {
    principal: 'arn:aws:iam::1:user/a',
  });
  expect(markdown).toContain(
    '```mermaid\nxychart-beta\n  title "Events per day"\n  x-axis ["03-30", "03-31"]\n  y-axis "events"\n  bar [2, 1]\n```',
  );
  expect(markdown).toContain('**3** events from `2026-03-01T12:00:00.000Z`');
  expect(markdown).toMatch(/#### Risk flags\n\n\| `flag` \| `title` \| `rows` \| `count` \|/);
  expect(markdown).toContain('<summary>User agents (2)</summary>');
  expect(markdown).toContain('| `Boto3/1.34` | `2026-03-30T10:00:00Z` | **yes** | 2 |');
});

test('read from LookupEvents, the report says what that cannot see; from the trail it does not', () => {
  const note =
    'Source: CloudTrail `LookupEvents`, management events only: data events such as S3 object ' +
    'reads are not in LookupEvents; read the trail (`jit runbook --source files:` or `athena:`) for them.';
  const lookup = renderRunbookReport(result('x'), { source: 'lookup-events' });
  expect(lookup).toContain(`(runbook \`requester-context\`).\n\n${note}\n`);
  for (const source of ['files', 'athena', undefined])
    expect(renderRunbookReport(result('x'), { source })).not.toContain('LookupEvents');
});

test('a report over the comment limit is cut with a note', () => {
  const big = result('x');
  big.results[2]!.rows = Array.from({ length: 3000 }, (_, i) => ({
    userAgent: `agent-${i}-${'y'.repeat(100)}`,
    count: 1,
  }));
  const markdown = renderRunbookReport(big);
  expect(markdown.length).toBeLessThanOrEqual(65_536);
  expect(markdown).toContain("cut to fit GitHub's comment limit");
  expect(renderGfm(markdown).match(/<details>/g)?.length).toBe(
    renderGfm(markdown).match(/<\/details>/g)?.length,
  );
});
