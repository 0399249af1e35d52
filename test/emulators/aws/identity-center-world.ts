import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { AwsEmulator } from '../../../emulators/aws/server.js';
import type { Credential } from '../../../emulators/aws/state.js';

type Keys = Pick<Credential, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>;

/** The SDK's retry loop with 5 ms backoff; one attempt unless a test asks for retries. */
const retries = (attempts: number) => ({
  retryStrategy: new ConfiguredRetryStrategy(attempts, () => 5),
});

export const ssoAdmin = (emu: AwsEmulator, keys?: Keys, attempts = 1): SSOAdminClient =>
  new SSOAdminClient({ ...emu.clientConfig(keys), ...retries(attempts) });

export const identityStore = (emu: AwsEmulator, keys?: Keys, attempts = 1): IdentitystoreClient =>
  new IdentitystoreClient({ ...emu.clientConfig(keys), ...retries(attempts) });

/** The error a failed SDK call ends with (its name is AWS's error code). */
export async function errorOf(call: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await call;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}
