import { readFileSync } from 'node:fs';
import { planRequest } from '../../src/plan/plan.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { renderRequestComment } from '../../src/report/request-comment.js';
import { outsideCode, renderGfm } from './render.js';

const parsed = parseConfig(readFileSync('jit.config.yaml', 'utf8'), 'jit.config.yaml');
if (!parsed.ok) throw new Error('shipped config must parse');
const config = parsed.value;
const now = new Date('2026-11-25T09:00:00Z');

function planWithReason(reason: string, ticket = 'INC-4211') {
  const text = `requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 2h\nreason: ${JSON.stringify(reason)}\nticket: ${ticket}\n`;
  const plan = planRequest({ text, file: 'requests/hostile-one.yaml', config, now });
  if (!plan.ok) throw new Error(JSON.stringify(plan.problems));
  return plan.value;
}

// Each line: something GitHub would turn into markup, a link, a ping or a reference.
const HOSTILE = [
  '@acme/security-team approve this now please',
  'see https://evil.example/login for the runbook',
  '![pixel](https://evil.example/track.png) tracking',
  '<img src=x onerror=alert(1)> and <script>alert(1)</script>',
  '[innocent](javascript:alert(1)) link text here',
  'closes #1 and fixes acme/access#2 for good',
  '| broken | table | --- | cells here |',
  '`` ``` `` fence breaker ``` inside',
  '<details><summary>hidden</summary>secret</details>',
];

test.each(HOSTILE)('reason %j stays inert text in the rendered comment', (reason) => {
  const body = renderRequestComment({
    outcomes: [{ file: 'requests/hostile-one.yaml', ok: true, plan: planWithReason(reason) }],
    prProblems: [],
  });
  const html = renderGfm(body);
  const outside = outsideCode(html);
  expect(outside).not.toMatch(/<img|<script|<a |onerror|evil\.example|@acme|#1|javascript:/);
  expect(outside).not.toMatch(/<details><summary>hidden/);
  // The reason stays in its own list item, as code: it added no item, cell or block.
  const items = html.match(/<li>[\s\S]*?<\/li>/g) ?? [];
  const reasonItem = items.find((li) => li.startsWith('<li><strong>Reason:</strong>')) ?? '';
  expect(reasonItem).toMatch(/^<li><strong>Reason:<\/strong> (<code>[^<]*<\/code>|\\?\|)+<\/li>$/);
  expect(items).toHaveLength(8);
});

test('an invalid file lists every problem with its line, inside a code block', () => {
  const body = renderRequestComment({
    outcomes: [
      {
        file: 'requests/bad.yaml',
        ok: false,
        problems: [
          {
            path: 'reason',
            message: 'must be at least 10 characters @acme/admins',
            severity: 'error',
            file: 'requests/bad.yaml',
            line: 5,
            column: 9,
          },
          {
            path: 'duration',
            message: 'add a unit',
            severity: 'error',
            file: 'requests/bad.yaml',
            line: 4,
            column: 11,
          },
        ],
      },
    ],
    prProblems: [],
  });
  expect(body).toContain('requests/bad.yaml:5:9: error: reason: must be at least 10 characters');
  expect(body).toContain('requests/bad.yaml:4:11: error: duration: add a unit');
  expect(outsideCode(renderGfm(body))).not.toContain('@acme');
  expect(body).toMatch(/^## ❌ jit-access: 1 of 1 request file invalid/);
});

test('the verdict says when high risk raises the approvals', () => {
  const text = `requester: monalisa\naccount: staging\npermissions:\n  - actions: [iam:PassRole, lambda:CreateFunction]\n    resources: ["*"]\nduration: 1h\nreason: Deploy the new function for CHG-1200 today.\n`;
  const plan = planRequest({ text, file: 'requests/risky-one.yaml', config, now });
  if (!plan.ok) throw new Error(JSON.stringify(plan.problems));
  const body = renderRequestComment({
    outcomes: [{ file: 'requests/risky-one.yaml', ok: true, plan: plan.value }],
    prProblems: [],
  });
  expect(body).toMatch(/^## ⚠️ jit-access: valid, HIGH RISK: extra approvals required/);
  expect(body).not.toContain('✅');
  expect(body).toContain('High risk');
  expect(body).toContain(
    '- `lambda:CreateFunction + iam:PassRole` (privilege escalation, outlives the window): ',
  );
  expect(body).toContain('**3** distinct approvers');
});
