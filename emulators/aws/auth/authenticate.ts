import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../clock.js';
import { AwsError } from '../protocol/errors.js';
import type { AwsState, Credential } from '../state.js';
import { signatureMatches, type SigV4Authorization, type SignedRequest } from './sigv4.js';

const invalidToken = (): AwsError =>
  new AwsError(
    'InvalidClientTokenId',
    'The security token included in the request is invalid.',
    403,
  );

/**
 * Who signed the request, checked the way AWS does and in its order: a known key, its session
 * token, the session still valid (on the emulator's clock), then the signature. Request-time
 * skew is not checked, so tests can move the emulator's clock freely while the SDK signs with
 * real time.
 */
export async function authenticate(
  state: AwsState,
  clock: Clock,
  request: SignedRequest,
  auth: SigV4Authorization,
): Promise<Credential> {
  const credential = state.credentials.get(auth.accessKeyId);
  if (!credential) throw invalidToken();
  if (credential.sessionToken !== undefined) {
    if (sessionToken(request.headers) !== credential.sessionToken) throw invalidToken();
    if (credential.expiration && credential.expiration <= clock.now())
      throw new AwsError(
        'ExpiredToken',
        'The security token included in the request is expired',
        403,
      );
  }
  if (!(await signatureMatches(request, auth, credential.secretAccessKey)))
    throw new AwsError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      403,
    );
  return credential;
}

function sessionToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['x-amz-security-token'];
  return Array.isArray(value) ? value[0] : value;
}
