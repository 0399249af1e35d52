import type { Operation } from '../operation.js';
import type { QueryParams } from '../protocol/query.js';
import type { XmlObject } from '../protocol/xml.js';
import type { JwksResolver } from './jwks.js';
import { assumeRoleWithWebIdentity } from './web-identity.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Actions STS answers without a signature: the token is the credential. */
export const UNSIGNED_STS_ACTIONS = new Set(['AssumeRoleWithWebIdentity']);

export function stsOperations(
  jwks: JwksResolver,
): Record<string, Operation<QueryParams, XmlObject | undefined>> {
  return {
    AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity(jwks),
    // Needs no permission: any valid credentials may ask who they are.
    GetCallerIdentity: {
      readOnly: true,
      run: (ctx) => {
        const identity = ctx.caller!.identity;
        return { UserId: identity.principalId, Account: identity.accountId, Arn: identity.arn };
      },
    },
  };
}
