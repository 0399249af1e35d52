/**
 * Notifications against a real HTTP receiver on 127.0.0.1: the payload each format sends, what
 * a hostile reason becomes in it, and that a webhook that hangs, fails or does not resolve costs
 * a bounded wait and a warning, never an exception.
 */
import type { NotifyEvent } from '../../src/notify/event.js';
import type { NotifyFormat } from '../../src/notify/format.js';
import { parseWebhookUrl, webhookNotifier } from '../../src/notify/webhook.js';
import { startReceiver, type Receiver } from './receiver.js';

const HOSTILE = 'Deploy <!channel> *bold* <http://evil|click> & <@U123> fix';

const granted: NotifyEvent = {
  kind: 'granted',
  pr: 12,
  requestId: 'octocat-logs',
  requester: 'octocat',
  account: 'prod',
  window: { start: '2026-11-25T09:01:00.000Z', expiry: '2026-11-25T11:01:00.000Z' },
  approvers: ['sre-bob'],
  reason: HOSTILE,
  ticket: 'INC-4211',
};

let receiver: Receiver;
afterEach(() => receiver.close());

function notifier(format: NotifyFormat, timeoutMs = 2000) {
  const warnings: string[] = [];
  const notify = webhookNotifier({
    url: new URL(receiver.url),
    format,
    repository: 'acme/access',
    serverUrl: 'https://github.com',
    timeoutMs,
    warn: (m) => warnings.push(m),
  });
  return { notify, warnings };
}

/** Every string in a JSON value, with the key path it sits at. */
function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  return [];
}

/** Every Block Kit text object in a Slack message. */
function textObjects(value: unknown): { type: string; text: string }[] {
  if (Array.isArray(value)) return value.flatMap(textObjects);
  if (!value || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const own =
    (o.type === 'plain_text' || o.type === 'mrkdwn') && typeof o.text === 'string'
      ? [{ type: o.type, text: o.text }]
      : [];
  return [...own, ...Object.values(o).flatMap(textObjects)];
}

describe('Slack', () => {
  test('an incoming-webhook message: a fallback text and blocks, the hostile reason inert', async () => {
    receiver = await startReceiver();
    const { notify, warnings } = notifier('slack');
    await notify(granted);
    expect(warnings).toEqual([]);
    expect(receiver.requests).toHaveLength(1);
    const { method, headers, body } = receiver.requests[0]!;
    expect(method).toBe('POST');
    expect(headers['content-type']).toMatch(/^application\/json/);
    const message = body as { text: string; blocks: unknown[] };
    expect(message.text).toBe('jit-access: access granted (acme/access#12)');
    // Slack's control sequences need a raw < or >: none survives anywhere in the payload.
    for (const [, s] of strings(message)) {
      expect(s).not.toContain('<!channel>');
      expect(s).not.toContain('<@U123>');
      expect(s).not.toContain('<http://evil|click>');
    }
    const texts = textObjects(message.blocks);
    const reason = texts.find((t) => t.text.startsWith('Reason: '));
    expect(reason).toEqual({
      type: 'plain_text',
      text: 'Reason: Deploy &lt;!channel&gt; *bold* &lt;http://evil|click&gt; &amp; &lt;@U123&gt; fix',
    });
    // mrkdwn (where *bold* would be bold) holds only the link built from trusted parts.
    expect(texts.filter((t) => t.type === 'mrkdwn')).toEqual([
      { type: 'mrkdwn', text: '<https://github.com/acme/access/pull/12|Open the pull request>' },
    ]);
    expect(texts.map((t) => t.text)).toEqual(
      expect.arrayContaining([
        'Request: octocat-logs',
        'Requester: octocat',
        'Account: prod',
        'Approved by: sre-bob',
        'Ticket: INC-4211',
      ]),
    );
  });
});

describe('Teams', () => {
  test('one Adaptive Card; untrusted values only in TextRuns, never Markdown', async () => {
    receiver = await startReceiver();
    const { notify, warnings } = notifier('teams');
    await notify({ ...granted, reason: '**urgent** [click](http://evil) <at>all</at>' });
    expect(warnings).toEqual([]);
    const message = receiver.requests[0]!.body as {
      type: string;
      attachments: {
        contentType: string;
        content: { type: string; version: string; body: unknown[]; actions: unknown[] };
      }[];
    };
    expect(message.type).toBe('message');
    expect(message.attachments).toHaveLength(1);
    const { contentType, content } = message.attachments[0]!;
    expect(contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(content.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open the pull request',
        url: 'https://github.com/acme/access/pull/12',
      },
    ]);
    // TextBlocks render Markdown in Teams: the only one is the trusted title.
    const textBlocks = content.body.filter((b) => (b as { type: string }).type === 'TextBlock');
    expect(textBlocks).toEqual([
      expect.objectContaining({ text: 'jit-access: access granted (acme/access#12)' }),
    ]);
    expect(content.body).toContainEqual({
      type: 'RichTextBlock',
      inlines: [
        { type: 'TextRun', text: 'Reason: ', weight: 'Bolder' },
        { type: 'TextRun', text: '**urgent** [click](http://evil) <at>all</at>' },
      ],
    });
  });
});

test('json: the event as data, text as written', async () => {
  receiver = await startReceiver();
  const { notify } = notifier('json');
  await notify({ kind: 'refused', pr: 7, codes: ['APPROVALS_MISSING'], detail: HOSTILE });
  expect(receiver.requests[0]!.body).toEqual({
    source: 'jit-access',
    version: 1,
    event: 'refused',
    repository: 'acme/access',
    url: 'https://github.com/acme/access/pull/7',
    pr: 7,
    codes: ['APPROVALS_MISSING'],
    detail: HOSTILE,
  });
});

describe('a webhook that fails costs a bounded wait and a warning', () => {
  test('one that never answers: two attempts, each cut at the timeout', async () => {
    receiver = await startReceiver('hang');
    const { notify, warnings } = notifier('slack', 150);
    await expect(notify(granted)).resolves.toBeUndefined();
    expect(receiver.requests).toHaveLength(2);
    expect(warnings).toEqual([
      'the slack notification (granted for PR #12) was not delivered: no answer within 150 ms',
    ]);
  });

  test('one that answers 500: retried once, then a warning', async () => {
    receiver = await startReceiver('500');
    const { notify, warnings } = notifier('teams');
    await notify(granted);
    expect(receiver.requests).toHaveLength(2);
    expect(warnings).toEqual([
      'the teams notification (granted for PR #12) was not delivered: the webhook answered HTTP 500',
    ]);
  });

  test('one that refuses the payload (400): not retried', async () => {
    receiver = await startReceiver('400');
    const { notify, warnings } = notifier('json');
    await notify(granted);
    expect(receiver.requests).toHaveLength(1);
    expect(warnings[0]).toContain('HTTP 400');
  });

  test('a host that does not resolve: a warning that never shows the URL (a secret)', async () => {
    receiver = await startReceiver();
    const warnings: string[] = [];
    const notify = webhookNotifier({
      url: new URL('https://jit-notify.invalid/services/T0/B0/secret-token'),
      format: 'slack',
      repository: 'acme/access',
      serverUrl: 'https://github.com',
      timeoutMs: 2000,
      warn: (m) => warnings.push(m),
    });
    await notify(granted);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not delivered: (network error|no answer)/);
    expect(warnings[0]).not.toContain('secret-token');
    expect(warnings[0]).not.toContain('jit-notify.invalid');
  });
});

test.each([
  ['https://hooks.slack.com/services/T0/B0/x', true],
  ['http://127.0.0.1:8080/hook', true],
  ['http://hooks.slack.com/services/T0/B0/x', false],
  ['ftp://example.com/x', false],
  ['not a url', false],
])('webhook URL %s accepted: %s', (text, ok) => {
  expect(parseWebhookUrl(text).ok).toBe(ok);
});
