import { decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import { trustAllows } from '../authz/trust.js';
import type { CallContext, Operation } from '../operation.js';
import { AwsError, accessDenied, validationError } from '../protocol/errors.js';
import { optionalInteger, requiredString, type QueryParams } from '../protocol/query.js';
import type { XmlObject } from '../protocol/xml.js';
import { providerUrl, type Role } from '../state.js';
import type { JwksResolver } from './jwks.js';
import { sessionPoliciesOf } from './session-policies.js';

type StsContext = CallContext<QueryParams>;

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]+)$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

const invalidToken = (message: string): AwsError => new AwsError('InvalidIdentityToken', message);
const notAuthorized = (): AwsError =>
  accessDenied('Not authorized to perform sts:AssumeRoleWithWebIdentity');

/**
 * AssumeRoleWithWebIdentity: an unsigned call whose proof is the OIDC token. Checked in STS's
 * order: the role's account has an OIDC provider for the token's issuer, the signature verifies
 * against the issuer's JWKS, the token is current on the emulator's clock, its audience is one
 * the provider lists, and the role's trust policy allows this provider with these claims.
 */
export function assumeRoleWithWebIdentity(
  jwks: JwksResolver,
): Operation<QueryParams, XmlObject | undefined> {
  return {
    readOnly: false,
    run: async (ctx) => {
      const roleArn = requiredString(ctx.input, 'RoleArn');
      const sessionName = requiredString(ctx.input, 'RoleSessionName');
      const token = requiredString(ctx.input, 'WebIdentityToken');
      const duration = optionalInteger(ctx.input, 'DurationSeconds', 900, 43200) ?? 3600;
      const passed = sessionPoliciesOf(ctx.input);
      ctx.trail.requestParameters = {
        roleArn,
        roleSessionName: sessionName,
        durationSeconds: duration,
        ...passed?.trail,
      };
      const arn = ROLE_ARN.exec(roleArn);
      if (!arn) throw validationError('roleArn', 'Member must be a valid ARN', roleArn);
      if (!SESSION_NAME.test(sessionName))
        throw validationError(
          'roleSessionName',
          'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
          sessionName,
        );
      const accountId = arn[1] as string;
      ctx.accountId = accountId;

      const claims = decode(token);
      const issuer = String(claims.iss);
      const url = providerUrl(issuer);
      const provider = ctx.state.oidcProviders.get(
        `arn:aws:iam::${accountId}:oidc-provider/${url}`,
      );
      if (!provider)
        throw invalidToken(`No OpenIDConnect provider found in your account for ${issuer}`);
      const payload = await verify(ctx, jwks, token, issuer);
      const audiences = ([] as unknown[]).concat(payload.aud ?? []).map(String);
      const sub = String(payload.sub ?? '');
      ctx.trail.userIdentity = {
        type: 'WebIdentityUser',
        principalId: `${url}:${audiences[0] ?? ''}:${sub}`,
        userName: sub,
        identityProvider: url,
      };
      const audience = audiences.find((a) => provider.audiences.includes(a));
      if (audience === undefined) throw invalidToken('Incorrect token audience');

      const role = ctx.state.entity('role', accountId, arn[2] as string) as Role | undefined;
      ctx.trail.resources = [{ ResourceType: 'AWS::IAM::Role', ResourceName: roleArn }];
      if (!role || role.arn !== roleArn) throw notAuthorized();
      const context = claimContext(url, payload, audience);
      context['sts:RoleSessionName'] = sessionName;
      if (
        !trustAllows(role.trustPolicy, {
          principal: provider.arn,
          action: 'sts:AssumeRoleWithWebIdentity',
          roleArn,
          context,
        })
      )
        throw notAuthorized();
      if (duration > role.maxSessionDuration)
        throw validationError(
          'durationSeconds',
          'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
          duration,
        );

      const sessionPolicies = passed?.policies(role.accountId);
      const session = ctx.state.addRoleSession({
        role,
        sessionName,
        durationSeconds: duration,
        federatedProvider: provider.arn,
        ...(sessionPolicies ? { sessionPolicies } : {}),
      });
      const assumedRoleUser = {
        AssumedRoleId: session.identity.principalId,
        Arn: session.identity.arn,
      };
      ctx.trail.resources.push({
        ResourceType: 'AWS::STS::AssumedRole',
        ResourceName: sessionName,
      });
      ctx.trail.responseElements = {
        credentials: {
          accessKeyId: session.accessKeyId,
          expiration: session.expiration.toISOString(),
        },
        subjectFromWebIdentityToken: sub,
        assumedRoleUser: { assumedRoleId: assumedRoleUser.AssumedRoleId, arn: assumedRoleUser.Arn },
        provider: provider.arn,
        audience,
        ...(passed ? { packedPolicySize: passed.packedPercent } : {}),
      };
      ctx.trail.additionalEventData = {
        identityProviderConnectionVerificationMethod: 'IAMTrustStore',
      };
      return {
        Credentials: {
          AccessKeyId: session.accessKeyId,
          SecretAccessKey: session.secretAccessKey,
          SessionToken: session.sessionToken,
          Expiration: session.expiration,
        },
        SubjectFromWebIdentityToken: sub,
        AssumedRoleUser: assumedRoleUser,
        Provider: issuer,
        Audience: audience,
        ...(passed ? { PackedPolicySize: passed.packedPercent } : {}),
      };
    },
  };
}

function decode(token: string): JWTPayload {
  try {
    const claims = decodeJwt(token);
    if (typeof claims.iss !== 'string') throw new Error('no issuer');
    return claims;
  } catch {
    throw invalidToken(
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    );
  }
}

async function verify(
  ctx: StsContext,
  jwks: JwksResolver,
  token: string,
  issuer: string,
): Promise<JWTPayload> {
  let keys;
  try {
    keys = await jwks.keysFor(issuer);
  } catch {
    throw idpUnreachable();
  }
  const now = ctx.clock.now();
  try {
    const { payload } = await jwtVerify(token, keys, { issuer, currentDate: now });
    return payload;
  } catch (e) {
    if (e instanceof errors.JWTExpired) {
      const exp = Number((e.payload as JWTPayload).exp);
      throw new AwsError(
        'ExpiredTokenException',
        `Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before the expiration date/time ${exp}`,
      );
    }
    if (e instanceof errors.JWKSTimeout || (e instanceof TypeError && /fetch/i.test(e.message)))
      throw idpUnreachable();
    if (e instanceof errors.JWTClaimValidationFailed)
      throw invalidToken(`Invalid token: ${e.message}`);
    throw invalidToken('Incorrect token signature');
  }
}

const idpUnreachable = (): AwsError =>
  new AwsError(
    'IDPCommunicationError',
    "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements",
  );

/**
 * Claims as condition keys, named as IAM names them: the provider URL (issuer host and path)
 * then the claim, e.g. `token.actions.githubusercontent.com:sub` or, for the emulator's
 * issuer, `127.0.0.1:PORT/oidc:job_workflow_ref`. `aud` is the audience that matched.
 */
function claimContext(
  url: string,
  payload: JWTPayload,
  audience: string,
): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  for (const [claim, value] of Object.entries(payload)) {
    if (typeof value === 'string') context[`${url}:${claim}`] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
      context[`${url}:${claim}`] = value as string[];
    else if (typeof value === 'number' || typeof value === 'boolean')
      context[`${url}:${claim}`] = String(value);
  }
  context[`${url}:aud`] = audience;
  return context;
}
