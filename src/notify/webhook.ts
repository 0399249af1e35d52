import type { Notify, NotifyEvent } from './event.js';
import { renderNotification, type NotifyContext, type NotifyFormat } from './format.js';

export interface WebhookOptions extends NotifyContext {
  /** A secret: it is never written to a log or a warning. */
  url: URL;
  format: NotifyFormat;
  /** Per attempt; two attempts at most. */
  timeoutMs?: number;
  /** Where an undelivered notification is reported; the run goes on either way. */
  warn: (message: string) => void;
}

export const DEFAULT_TIMEOUT_MS = 5000;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The webhook URL, or why it cannot be one: HTTPS only (the URL is a credential and the payload
 * names people and accounts), plain HTTP only to this machine.
 */
export function parseWebhookUrl(
  text: string,
): { ok: true; url: URL } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, message: 'notify-webhook-url is not a URL' };
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    return { ok: true, url };
  return {
    ok: false,
    message: `notify-webhook-url must be an https:// URL, not ${url.protocol}//${url.hostname}`,
  };
}

/**
 * POSTs each event to the webhook: bounded by a timeout per attempt, one retry after a timeout,
 * a network error, a 429 or a 5xx, and then a warning. It never throws, so a channel that is
 * down, slow or misconfigured never blocks, delays for long or fails a grant or a revoke.
 */
export function webhookNotifier(options: WebhookOptions): Notify {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async (event: NotifyEvent) => {
    const body = JSON.stringify(renderNotification(options.format, event, options));
    let last = '';
    for (let attempt = 1; attempt <= 2; attempt++) {
      const outcome = await post(options.url, body, timeoutMs);
      if (outcome.ok) return;
      last = outcome.why;
      if (!outcome.retry) break;
    }
    const what = `${event.kind}${event.pr === undefined ? '' : ` for PR #${event.pr}`}`;
    options.warn(`the ${options.format} notification (${what}) was not delivered: ${last}`);
  };
}

async function post(
  url: URL,
  body: string,
  timeoutMs: number,
): Promise<{ ok: true } | { ok: false; retry: boolean; why: string }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The body is not needed; reading it frees the connection (bounded by the same signal).
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { ok: true };
    const retry = response.status === 429 || response.status >= 500;
    return { ok: false, retry, why: `the webhook answered HTTP ${response.status}` };
  } catch (e) {
    return { ok: false, retry: true, why: failure(e, timeoutMs) };
  }
}

/** What went wrong, in words that never contain the URL (Node's fetch errors can). */
function failure(e: unknown, timeoutMs: number): string {
  if (e instanceof DOMException && (e.name === 'TimeoutError' || e.name === 'AbortError'))
    return `no answer within ${timeoutMs} ms`;
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return `network error ${cause.code}`;
  return 'network error';
}
