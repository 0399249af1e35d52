import * as core from '@actions/core';
import * as github from '@actions/github';
import type { Notify } from '../../src/notify/event.js';
import { NOTIFY_FORMATS, type NotifyFormat } from '../../src/notify/format.js';
import { DEFAULT_TIMEOUT_MS, parseWebhookUrl, webhookNotifier } from '../../src/notify/webhook.js';

/**
 * The notifier the `notify-webhook-url` and `notify-format` inputs ask for, or none. A bad
 * setting is a warning, never a failure: notifications are optional and must not stop a grant.
 */
export function notifyInput(): Notify | undefined {
  const raw = core.getInput('notify-webhook-url');
  if (!raw) return undefined;
  // The URL is the credential: masked in every log line from here on.
  core.setSecret(raw);
  const parsed = parseWebhookUrl(raw);
  if (!parsed.ok) {
    core.warning(`${parsed.message}; no notifications are sent`);
    return undefined;
  }
  const format = (core.getInput('notify-format') || 'json') as NotifyFormat;
  if (!NOTIFY_FORMATS.includes(format)) {
    core.warning(
      `notify-format must be one of ${NOTIFY_FORMATS.join(', ')}, not "${format}"; no notifications are sent`,
    );
    return undefined;
  }
  const timeout = Number(core.getInput('notify-timeout-seconds') || DEFAULT_TIMEOUT_MS / 1000);
  return webhookNotifier({
    url: parsed.url,
    format,
    repository: `${github.context.repo.owner}/${github.context.repo.repo}`,
    serverUrl: process.env.GITHUB_SERVER_URL ?? 'https://github.com',
    timeoutMs:
      Number.isFinite(timeout) && timeout > 0 && timeout <= 30
        ? timeout * 1000
        : DEFAULT_TIMEOUT_MS,
    warn: (m) => core.warning(m),
  });
}
