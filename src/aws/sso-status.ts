/**
 * Identity Center assigns and unassigns asynchronously: a request id, then IN_PROGRESS until
 * SUCCEEDED or FAILED. The grant and revoke poll with exponential backoff, bounded: a request
 * still in progress at the bound is left for the next run, never called a failure.
 */
import type { AccountAssignmentOperationStatus } from '@aws-sdk/client-sso-admin';

export interface PollOptions {
  /** Status reads after the first answer; 6 by default. */
  attempts: number;
  /** Wait before the first read, doubled after each; 500 ms by default. */
  firstDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_POLL: PollOptions = {
  attempts: 6,
  firstDelayMs: 500,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type OperationOutcome =
  | { status: 'SUCCEEDED' }
  | { status: 'FAILED'; reason: string }
  | { status: 'IN_PROGRESS'; requestId: string };

/** Follows one operation from its first status to an end or the bound. */
export async function pollOperation(
  first: AccountAssignmentOperationStatus | undefined,
  describe: (requestId: string) => Promise<AccountAssignmentOperationStatus | undefined>,
  poll: PollOptions,
): Promise<OperationOutcome> {
  let status = first;
  const requestId = first?.RequestId;
  let delay = poll.firstDelayMs;
  for (let attempt = 0; ; attempt++) {
    if (status?.Status === 'SUCCEEDED') return { status: 'SUCCEEDED' };
    if (status?.Status === 'FAILED')
      return { status: 'FAILED', reason: status.FailureReason ?? 'no FailureReason given' };
    if (!requestId) return { status: 'FAILED', reason: 'Identity Center returned no request id' };
    if (attempt >= poll.attempts) return { status: 'IN_PROGRESS', requestId };
    await poll.sleep(delay);
    delay *= 2;
    status = await describe(requestId);
  }
}
