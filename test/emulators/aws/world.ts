import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { Clock } from '../../../emulators/aws/clock.js';
import { startAwsEmulator, type AwsEmulator } from '../../../emulators/aws/server.js';
import type { Credential } from '../../../emulators/aws/state.js';

/** A fixed start time, so expiry and retention are exact. */
export const T0 = new Date('2026-03-01T10:00:00Z');
export const ACCOUNT = '123456789012';

export function startAt(start = T0): Promise<AwsEmulator> {
  return startAwsEmulator({ clock: new Clock(start) });
}

type Keys = Pick<Credential, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>;

/** The SDK's own retry loop, with 5 ms backoff so retried faults cost no test time. */
const quickRetries = (attempts = 3) => ({
  retryStrategy: new ConfiguredRetryStrategy(attempts, () => 5),
});

export const iamClient = (emu: AwsEmulator, keys?: Keys, attempts?: number): IAMClient =>
  new IAMClient({ ...emu.clientConfig(keys), ...quickRetries(attempts) });

export const stsClient = (emu: AwsEmulator, keys?: Keys): STSClient =>
  new STSClient({ ...emu.clientConfig(keys), ...quickRetries() });

export const cloudTrailClient = (emu: AwsEmulator, keys?: Keys, attempts = 1): CloudTrailClient =>
  new CloudTrailClient({ ...emu.clientConfig(keys), ...quickRetries(attempts) });

/** The AWS error code of a failed SDK call, or 'ok'. */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (e) {
    const error = e as { Code?: string; name?: string };
    return error.Code ?? error.name ?? String(e);
  }
}

export const doc = (statement: Record<string, unknown> | Record<string, unknown>[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statement });
