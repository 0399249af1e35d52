/**
 * The review comment as a reviewer sees it: rendered by micromark with GFM (and raw HTML, as
 * GitHub passes `<details>` through), then checked on its structure: what is granted, to whom,
 * where, when, at what risk and with whose approval comes first, in the open; the policy JSON and
 * the full CloudTrail report are folded; a high-risk request shows no green tick; hostile request
 * text cannot add cells to the actions table. When `chromium` is on PATH the page is also
 * screenshotted (test-artifacts/review-comment-*.png) and its DOM text order read back.
 */
import fc from 'fast-check';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { planRequest } from '../../src/plan/plan.js';
import type { Plan } from '../../src/plan/plan.js';
import { parseConfig } from '../../src/request/parse-config.js';
import { COMMENT_LIMIT, fitComment } from '../../src/report/fit.js';
import { renderRequestComment, type Activity } from '../../src/report/request-comment.js';
import { renderRunbookReport, runbookHighlights } from '../../src/report/runbook.js';
import type { RunbookResult } from '../../src/runbook/model.js';
import { githubPage, outsideCode, renderGfmWithHtml } from './render.js';

const parsed = parseConfig(readFileSync('jit.config.yaml', 'utf8'), 'jit.config.yaml');
if (!parsed.ok) throw new Error('shipped config must parse');
const config = parsed.value;
const now = new Date('2026-11-25T09:00:00Z');

function plan(file: string, text: string): Plan {
  const planned = planRequest({ text, file, config, now, pr: 42 });
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  return planned.value;
}

const lowRisk = () =>
  plan(
    'requests/octocat-logs.yaml',
    'requester: octocat\naccount: prod\nprofile: s3-logs-read\nduration: 2h\nreason: Investigate the 502s on the checkout service since 08:10.\nticket: INC-4211\n',
  );

const highRisk = () =>
  plan(
    'requests/monalisa-deploy.yaml',
    `requester: monalisa
account: staging
permissions:
  - actions: [iam:PassRole, lambda:CreateFunction]
    resources: ["*"]
    conditions:
      StringEquals: { aws:RequestedRegion: eu-west-1 }
  - actions: [s3:GetObject]
    resources: ["arn:aws:s3:::acme-staging-artifacts/builds/*"]
start: 2026-11-25T14:00:00Z
duration: 1h
reason: Deploy the new order-sync function for CHG-1200 today.
ticket: CHG-1200
`,
  );

function runbookResult(flags: { flag: string; title: string; count: number }[]): RunbookResult {
  return {
    runbook: 'requester-context',
    window: { from: '2026-08-27T09:00:00.000Z', to: '2026-11-25T09:00:00.000Z' },
    results: [
      {
        id: 'daily',
        title: 'Events per day',
        rows: [{ series: { '2026-11-23': 40, '2026-11-24': 57, '2026-11-25': 12 }, count: 1284 }],
      },
      {
        id: 'risk-flags',
        title: 'Risk flags',
        rows: flags.map((f) => ({ ...f, rows: 1 })),
      },
      {
        id: 'actions',
        title: 'Top actions',
        rows: [{ eventSource: 'lambda.amazonaws.com', eventName: 'GetFunction', count: 311 }],
      },
    ],
  };
}

const complete = (result: RunbookResult, principal: string): Activity => ({
  state: 'complete',
  markdown: renderRunbookReport(result, { principal }),
  highlights: runbookHighlights(result),
});

const FLAGS = [
  { flag: 'requested-denied-before', title: 'Requested actions refused before', count: 6 },
  {
    flag: 'new-source-ip',
    title: 'Calls from an IP address first seen in the last 7 days',
    count: 3,
  },
  { flag: 'console-login-without-mfa', title: 'Console sign-in without MFA', count: 2 },
  { flag: 'new-user-agent', title: 'A user agent first seen in the last 7 days', count: 1 },
  { flag: 'new-region', title: 'Activity in a region first seen in the last 7 days', count: 1 },
  { flag: 'requested-never-used', title: 'Requested actions never called before', count: 1 },
];

function highRiskComment(): string {
  const p = highRisk();
  return renderRequestComment({
    outcomes: [
      {
        file: p.file,
        ok: true,
        plan: p,
        activity: complete(runbookResult(FLAGS), p.resolved.principalArn),
      },
    ],
    prProblems: [],
    headSha: '9f1c2ab34de56f7890abcdef1234567890abcdef',
  });
}

/** The low-risk request whose CloudTrail report its budget cut part-way. */
function cutComment(): string {
  const p = lowRisk();
  const result = runbookResult(FLAGS.slice(1, 2));
  return renderRequestComment({
    outcomes: [
      {
        file: p.file,
        ok: true,
        plan: p,
        activity: {
          state: 'cut',
          budgetSeconds: 60,
          markdown: renderRunbookReport(result, { principal: p.resolved.principalArn }),
          highlights: runbookHighlights(result),
          coverage: {
            ...result.window,
            lookups: [
              { region: 'eu-west-1', lookup: "the requester's own calls", complete: true },
              {
                region: 'us-east-1',
                lookup: "the requester's own calls",
                reachedBack: '2026-10-30T17:00:00.000Z',
                complete: false,
              },
            ],
          },
        },
      },
    ],
    prProblems: [],
    headSha: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
  });
}

function lowRiskComment(): string {
  const p = lowRisk();
  return renderRequestComment({
    outcomes: [
      {
        file: p.file,
        ok: true,
        plan: p,
        activity: complete(runbookResult([]), p.resolved.principalArn),
      },
    ],
    prProblems: [],
    headSha: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
  });
}

/** A minimal HTML tree of micromark's (well-formed) output: enough to ask what is where. */
interface Node {
  tag: string;
  children: (Node | string)[];
}
const VOID = new Set(['br', 'hr', 'img', 'input']);

function parseHtml(html: string): Node {
  const root: Node = { tag: '#root', children: [] };
  const stack = [root];
  for (const [token, close, tag] of html.matchAll(/<(\/?)([a-z][a-z0-9]*)[^>]*>|[^<]+/g)) {
    const top = stack[stack.length - 1]!;
    if (!tag) top.children.push(decode(token));
    else if (close) {
      while (stack.length > 1 && stack.pop()!.tag !== tag);
    } else {
      const node: Node = { tag, children: [] };
      top.children.push(node);
      if (!VOID.has(tag)) stack.push(node);
    }
  }
  return root;
}

const decode = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

const text = (node: Node | string): string =>
  typeof node === 'string' ? node : node.children.map(text).join('');

const all = (node: Node, tag: string): Node[] =>
  node.children.flatMap((c) =>
    typeof c === 'string' ? [] : [...(c.tag === tag ? [c] : []), ...all(c, tag)],
  );

/** The top-level blocks before the first folded one: what a reviewer reads without a click. */
function openPart(html: string): { open: Node[]; folded: Node[] } {
  const blocks = parseHtml(html).children.filter((c): c is Node => typeof c !== 'string');
  const first = blocks.findIndex((b) => b.tag === 'details');
  return { open: blocks.slice(0, first), folded: blocks.slice(first) };
}

const GREEN = /✅|✔|☑|✓|🟢|🆗|💚|✳/u;

describe('a high-risk request', () => {
  const body = highRiskComment();
  const html = renderGfmWithHtml(body);
  const { open, folded } = openPart(html);
  const openText = open.map(text).join('\n');

  it('says who, which account, the window, the risk and the approvals before anything folded', () => {
    expect(openText).toContain('monalisa');
    expect(openText).toContain('arn:aws:iam::210987654321:user/people/monalisa');
    expect(openText).toMatch(/staging.*210987654321/);
    expect(openText).toContain('2026-11-25 14:00 UTC → 2026-11-25 15:00 UTC');
    expect(openText).toMatch(/Window: .*1h/);
    expect(openText).toMatch(/Risk: ⚠️ HIGH/);
    expect(openText).toContain('lambda:CreateFunction + iam:PassRole');
    expect(openText).toMatch(/Approvals needed: 3 distinct approvers from acme\/security/);
    expect(openText).toContain('Deploy the new order-sync function');
    // Reading order: who, account, window, risk, approvals.
    const at = ['Who:', 'Account:', 'Window:', 'Risk:', 'Approvals needed:'].map((k) =>
      openText.indexOf(k),
    );
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(at[0]).toBeGreaterThan(-1);
  });

  it('shows every statement in an open table, conditions included', () => {
    const tables = open.flatMap((b) => (b.tag === 'table' ? [b] : []));
    expect(tables).toHaveLength(1);
    const rows = all(tables[0]!, 'tr').map((tr) =>
      tr.children.filter((c): c is Node => typeof c !== 'string').map(text),
    );
    expect(rows).toEqual([
      ['Actions', 'Resources', 'Conditions'],
      ['iam:PassRolelambda:CreateFunction', '*', 'aws:RequestedRegion StringEquals eu-west-1'],
      ['s3:GetObject', 'arn:aws:s3:::acme-staging-artifacts/builds/*', 'none but the window'],
    ]);
  });

  it('names the CloudTrail highlights in a few open lines and folds the full report', () => {
    expect(openText).toContain(
      "Requester's CloudTrail: 1284 events in the 90 days to 2026-11-25 09:00 UTC",
    );
    expect(openText).toContain('🚩 Requested actions refused before (6 events)');
    expect(openText).toContain('and 2 more flags in the full report');
    expect(openText).not.toContain('Top actions');
    const report = folded.find((d) => text(d).startsWith('Full CloudTrail report'));
    expect(report && text(report)).toContain('Top actions');
  });

  it('keeps the policy JSON folded', () => {
    expect(openText).not.toContain('2012-10-17');
    const policy = folded.find((d) => text(d).startsWith('Policy JSON'));
    expect(policy && text(policy)).toContain('"Version": "2012-10-17"');
    expect(policy && text(policy)).toContain('aws:CurrentTime');
  });

  it('carries no green tick anywhere, in the markdown or the page', () => {
    expect(body).not.toMatch(GREEN);
    expect(body).toMatch(/^## ⚠️ jit-access: valid, HIGH RISK/);
  });
});

test('a comment over the GitHub limit is cut in the folded CloudTrail report, never in what is granted', () => {
  const p = highRisk();
  const huge = `### CloudTrail activity\n\n${'| `x` | 1 |\n'.repeat(9000)}`;
  const body = fitComment(
    renderRequestComment({
      outcomes: [
        { file: p.file, ok: true, plan: p, activity: { state: 'complete', markdown: huge } },
      ],
      prProblems: [],
    }),
  );
  expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  expect(body).toMatch(/characters were left out/);
  const { open, folded } = openPart(renderGfmWithHtml(body));
  expect(open.map(text).join('\n')).toContain('Approvals needed: 3 distinct approvers');
  const policy = folded.find((d) => text(d).startsWith('Policy JSON'));
  expect(policy && text(policy)).toContain('"Version": "2012-10-17"');
  expect(folded.find((d) => text(d).startsWith('Full CloudTrail report'))).toBeDefined();
});

test('a requester cannot put a green tick on a high-risk request through the reason', () => {
  const p = plan(
    'requests/monalisa-tick.yaml',
    `requester: monalisa
account: staging
permissions:
  - actions: [iam:PassRole, lambda:CreateFunction]
    resources: ["*"]
duration: 1h
reason: "✅ Pre-approved by security ✔ (CHG-1200)"
`,
  );
  const body = renderRequestComment({
    outcomes: [{ file: p.file, ok: true, plan: p }],
    prProblems: [],
  });
  expect(p.verdict).toBe('needs-extra-approval');
  expect(body).not.toMatch(GREEN);
  expect(body).toContain('<U+2705> Pre-approved by security <U+2714>');
});

describe('a low-risk request', () => {
  const body = lowRiskComment();
  const html = renderGfmWithHtml(body);
  const openText = openPart(html).open.map(text).join('\n');

  it('has the green tick, the window from the merge and the profile statements in the open', () => {
    expect(body).toMatch(/^## ✅ jit-access: valid, ready for review/);
    expect(openText).toMatch(/Window: 2h from the merge; if merged now, 2026-11-25 09:00 UTC/);
    expect(openText).toMatch(/Risk: no high-risk action found/);
    expect(openText).toContain('s3:GetObject');
    expect(openText).toContain('No risk flag raised.');
  });
});

// Pieces a requester could put in a resource ARN (any non-space), a condition value or a reason.
const PIECES = [
  '|',
  '\\|',
  '\\',
  '`',
  '``',
  '<td>',
  '</td></tr>',
  '<details>',
  '<img src=x onerror=alert(1)>',
  '@acme/admins',
  '#12',
  '[x](https://evil.example)',
  'https://evil.example',
  '*',
  '_',
  '<br>',
  '&#124;',
];
const hostile = fc
  .array(fc.constantFrom(...PIECES, 'a', '1', '/'), { minLength: 1, maxLength: 8 })
  .map((p) => p.join(''));

test('hostile ARNs, condition values and reasons never add a cell or markup to the actions table', () => {
  fc.assert(
    fc.property(hostile, hostile, hostile, (arn, value, reason) => {
      const p = plan(
        'requests/mallory-x.yaml',
        `requester: monalisa
account: staging
permissions:
  - actions: [s3:GetObject]
    resources: [${JSON.stringify(`arn:aws:s3:::b/${arn.replace(/\s/g, '')}`)}]
    conditions:
      StringLike: { s3:prefix: ${JSON.stringify(value)} }
duration: 1h
reason: ${JSON.stringify(`Hostile reason ${reason}`)}
`,
      );
      const html = renderGfmWithHtml(
        renderRequestComment({ outcomes: [{ file: p.file, ok: true, plan: p }], prProblems: [] }),
      );
      const table = all(parseHtml(html), 'table');
      expect(table).toHaveLength(1);
      const rows = all(table[0]!, 'tr');
      expect(rows).toHaveLength(2);
      for (const row of rows)
        expect(row.children.filter((c) => typeof c !== 'string')).toHaveLength(3);
      const outside = outsideCode(html);
      expect(outside).not.toMatch(/<img|<a |<td>\s*<td|evil\.example|@acme|#12/);
      // Exactly the two folded blocks the template writes: none came from the request.
      expect(outside.match(/<details>/g)).toHaveLength(1);
    }),
    { numRuns: 60 },
  );
});

/** PNG: signature, IHDR size, every chunk's length, and the pixels inflated and unfiltered. */
function decodePng(png: Buffer): {
  width: number;
  height: number;
  pixels: Buffer;
  channels: number;
} {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  let offset = 8;
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  let channels = 0;
  for (;;) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8); // bit depth
      channels = { 2: 3, 6: 4 }[data[9]!] ?? 0;
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).toBe(height * (stride + 1));
  const pixels = Buffer.alloc(height * stride);
  // One branch per byte and no allocation: this loop runs over millions of bytes per screenshot.
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    expect(filter).toBeLessThanOrEqual(4);
    const row = y * stride;
    const up = row - stride;
    let from = y * (stride + 1) + 1;
    for (let x = 0; x < stride; x++, from++) {
      const a = x >= channels ? pixels[row + x - channels]! : 0;
      const b = y > 0 ? pixels[up + x]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        // Paeth: the neighbour nearest to a + b - c.
        const c = x >= channels && y > 0 ? pixels[up + x - channels]! : 0;
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[row + x] = (raw[from]! + predictor) & 0xff;
    }
  }
  return { width, height, pixels, channels };
}

const chromium = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
const ARTIFACTS = resolve('test-artifacts');

function browse(name: string, body: string): { png: Buffer; dom: string; path: string } {
  mkdirSync(ARTIFACTS, { recursive: true });
  const page = join(ARTIFACTS, `review-comment-${name}.html`);
  const path = join(ARTIFACTS, `review-comment-${name}.png`);
  writeFileSync(page, githubPage(renderGfmWithHtml(body)));
  // One launch: the screenshot of what a reviewer sees first, and the DOM it was made from.
  const dom = execFileSync(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      `--screenshot=${path}`,
      '--window-size=1012,1400',
      '--dump-dom',
      `file://${page}`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return { png: readFileSync(path), dom, path };
}

// .ci/run installs chromium and sets JIT_REQUIRE_CHROMIUM, so CI can never skip the check.
if (!chromium && process.env.JIT_REQUIRE_CHROMIUM === '1')
  throw new Error('JIT_REQUIRE_CHROMIUM=1 but `chromium` is not on PATH');
const inBrowser = chromium ? describe : describe.skip;
if (!chromium)
  test.skip('screenshots need `chromium` on PATH (apt-get install -y --no-install-recommends chromium)', () => {});

inBrowser('in headless Chromium', () => {
  it.each([
    ['high-risk', highRiskComment],
    ['low-risk', lowRiskComment],
    ['cut-report', cutComment],
  ])(
    'the %s comment renders to a non-trivial screenshot, WHAT before anything folded',
    (name, make) => {
      const { png, dom } = browse(name, make());
      expect(png.length).toBeGreaterThan(20_000);
      const { width, height, pixels, channels } = decodePng(png);
      expect([width, height]).toEqual([1012, 1400]);
      // Text was drawn: a good share of the page is neither white nor the page's background.
      let ink = 0;
      for (let i = 0; i < pixels.length; i += channels)
        if (pixels[i]! < 160 && pixels[i + 1]! < 160 && pixels[i + 2]! < 160) ink++;
      expect(ink / (width * height)).toBeGreaterThan(0.005);
      // The DOM Chromium built reads in the same order: verdict, who, table, risk, approvals, folds.
      const order = [
        'jit-access:',
        'Who:',
        'Account:',
        'Window:',
        'Risk:',
        'Approvals needed:',
        '<th>Actions</th>',
        'Policy JSON',
        'Full CloudTrail report',
      ];
      const at = order.map((s) => dom.indexOf(s));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect(at).toEqual([...at].sort((a, b) => a - b));
      if (name === 'high-risk') expect(dom).not.toMatch(GREEN);
    },
  );
});
