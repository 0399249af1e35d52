/**
 * What jit-access tells a chat channel or an endpoint about a request. Every text field may hold
 * what a requester wrote (the reason, a refusal quoting the request): each format escapes it for
 * its own renderer (format.ts), never the core that raises the event.
 */
export type NotifyKind =
  'opened' | 'granted' | 'refused' | 'revoked' | 'expired' | 'expiring' | 'break-glass';

export const NOTIFY_KINDS: readonly NotifyKind[] = [
  'opened',
  'granted',
  'refused',
  'revoked',
  'expired',
  'expiring',
  'break-glass',
];

export interface NotifyEvent {
  kind: NotifyKind;
  pr?: number;
  requestId?: string;
  requester?: string;
  /** Who held the grant as AWS names them: the IAM principal ARN or Identity Center user name. */
  principal?: string;
  /** The account alias (or `account <id>` when the config no longer names it). */
  account?: string;
  /** The request's own reason: untrusted text. */
  reason?: string;
  ticket?: string;
  window?: { start: string; expiry: string };
  approvers?: string[];
  /** Who ended it early, when known. */
  by?: string;
  /** Refusal problem codes. */
  codes?: string[];
  /** Refusal reasons or other detail: untrusted text. */
  detail?: string;
}

/**
 * The port the grant reconciler and the revoke sweep tell: it never rejects and is bounded in
 * time, so a notification can never block, delay beyond its timeout, or fail a grant.
 */
export type Notify = (event: NotifyEvent) => Promise<void>;

/** Tells `notify` if there is one; a port that breaks its promise and throws is ignored too. */
export async function tell(notify: Notify | undefined, event: NotifyEvent): Promise<void> {
  if (!notify) return;
  await notify(event).catch(() => undefined);
}
