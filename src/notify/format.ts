import type { NotifyEvent, NotifyKind } from './event.js';

/** The payload shapes a webhook may want. */
export type NotifyFormat = 'slack' | 'teams' | 'json';
export const NOTIFY_FORMATS: readonly NotifyFormat[] = ['slack', 'teams', 'json'];

/** Where the event happened, added by the edge that knows it. */
export interface NotifyContext {
  /** `owner/name`. */
  repository: string;
  /** `https://github.com` or a GitHub Enterprise Server URL. */
  serverUrl: string;
}

const HEADLINE: Record<NotifyKind, string> = {
  opened: 'access requested',
  granted: 'access granted',
  refused: 'request refused',
  revoked: 'access revoked early',
  expired: 'access ended',
  expiring: 'access expiring soon',
  'break-glass': 'break-glass access',
};

/** One value is cut here: every format has per-field limits (Slack's are 2,000-3,000). */
const MAX_VALUE = 1000;

const cut = (text: string): string =>
  [...text].length > MAX_VALUE ? [...text].slice(0, MAX_VALUE - 1).join('') + '…' : text;

/** The event's fields as label/value pairs, in reading order; values are untrusted text. */
function fields(e: NotifyEvent): [string, string][] {
  const out: [string, string | undefined][] = [
    ['Request', e.requestId],
    ['Requester', e.requester],
    ['Account', e.account],
    ['Principal', e.principal],
    ['Window', e.window ? `${e.window.start} to ${e.window.expiry}` : undefined],
    ['Approved by', e.approvers?.length ? e.approvers.join(', ') : undefined],
    ['By', e.by],
    ['Codes', e.codes?.length ? e.codes.join(', ') : undefined],
    ['Ticket', e.ticket],
    ['Reason', e.reason],
    ['Detail', e.detail],
  ];
  return out.flatMap(([label, value]) => (value ? [[label, cut(value)] as [string, string]] : []));
}

const prUrl = (e: NotifyEvent, c: NotifyContext): string | undefined =>
  e.pr === undefined
    ? undefined
    : `${c.serverUrl.replace(/\/+$/, '')}/${c.repository}/pull/${e.pr}`;

const title = (e: NotifyEvent, c: NotifyContext): string =>
  `jit-access: ${HEADLINE[e.kind]}${e.pr === undefined ? '' : ` (${c.repository}#${e.pr})`}`;

/** The body to POST for `event` in `format`. */
export function renderNotification(
  format: NotifyFormat,
  event: NotifyEvent,
  context: NotifyContext,
): unknown {
  switch (format) {
    case 'slack':
      return slackMessage(event, context);
    case 'teams':
      return teamsMessage(event, context);
    case 'json':
      return jsonMessage(event, context);
  }
}

/**
 * Slack reads `&`, `<` and `>` as the start of its control sequences (`<!channel>`, `<url|text>`,
 * `<@U123>`) and asks that all three be sent as HTML entities when they are meant as text
 * (https://api.slack.com/reference/surfaces/formatting#escaping). Only these three: Slack
 * decodes no other entity.
 */
export const slackEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An incoming-webhook message (https://api.slack.com/messaging/webhooks): `text` is the
 * notification fallback, `blocks` the message. Untrusted values go only into `plain_text` text
 * objects, which Slack never formats (`*bold*` stays as typed; mrkdwn has no escape for it), and
 * are entity-escaped as well, so no control sequence can be formed
 * (https://api.slack.com/reference/block-kit/composition-objects#text). The one `mrkdwn` object
 * is the pull request link, built from trusted parts.
 */
function slackMessage(e: NotifyEvent, c: NotifyContext): unknown {
  const plain = (text: string) => ({ type: 'plain_text', text: slackEscape(text), emoji: false });
  const list = fields(e);
  const url = prUrl(e, c);
  const blocks: unknown[] = [{ type: 'header', text: plain(title(e, c)) }];
  // A section holds at most 10 fields (Block Kit); long free text gets a section of its own.
  const short = list.filter(([label]) => label !== 'Reason' && label !== 'Detail');
  const long = list.filter(([label]) => label === 'Reason' || label === 'Detail');
  if (short.length > 0)
    blocks.push({
      type: 'section',
      fields: short.slice(0, 10).map(([label, value]) => plain(`${label}: ${value}`)),
    });
  for (const [label, value] of long)
    blocks.push({ type: 'section', text: plain(`${label}: ${value}`) });
  if (url)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<${slackEscape(url)}|Open the pull request>` }],
    });
  return { text: slackEscape(title(e, c)), blocks };
}

/**
 * A Teams message with one Adaptive Card, the shape both Teams incoming webhooks and Workflows
 * ("Post to a channel when a webhook request is received") accept
 * (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook).
 * TextBlock and FactSet values are Markdown in Teams
 * (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format),
 * so untrusted values go only into TextRuns of a RichTextBlock, which Adaptive Cards never
 * parse as Markdown (https://learn.microsoft.com/adaptive-cards/authoring-cards/text-features);
 * HTML is not rendered in Adaptive Cards at all.
 */
function teamsMessage(e: NotifyEvent, c: NotifyContext): unknown {
  const url = prUrl(e, c);
  const body: unknown[] = [
    { type: 'TextBlock', text: title(e, c), weight: 'Bolder', size: 'Medium', wrap: true },
    ...fields(e).map(([label, value]) => ({
      type: 'RichTextBlock',
      inlines: [
        { type: 'TextRun', text: `${label}: `, weight: 'Bolder' },
        { type: 'TextRun', text: value },
      ],
    })),
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(url
            ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the pull request', url }] }
            : {}),
        },
      },
    ],
  };
}

/**
 * The event as data for any other endpoint. Text fields are as written, unescaped: whatever
 * renders them must escape them for its own medium.
 */
function jsonMessage(e: NotifyEvent, c: NotifyContext): unknown {
  const url = prUrl(e, c);
  return {
    source: 'jit-access',
    version: 1,
    event: e.kind,
    repository: c.repository,
    ...(url ? { url } : {}),
    ...Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'kind')),
  };
}
