import { randomUUID } from 'node:crypto';
import type { CallContext } from '../operation.js';
import type { AwsError } from '../protocol/errors.js';
import { isoSeconds } from '../protocol/xml.js';
import type { Credential } from '../state.js';
import type { CloudTrailRecord } from './store.js';

export interface CallOutcome {
  readOnly: boolean;
  output?: unknown;
  error?: AwsError;
  sourceIPAddress: string;
  userAgent: string;
}

/**
 * The CloudTrail record of one call, in the log file shape (eventVersion 1.09). IAM is a global
 * service and logs to us-east-1; STS and CloudTrail log to the region the call was made in.
 * Read-only calls log no response elements, as AWS does.
 */
export function buildRecord(ctx: CallContext<unknown>, outcome: CallOutcome): CloudTrailRecord {
  const { trail } = ctx;
  const record: CloudTrailRecord = {
    eventVersion: '1.09',
    userIdentity:
      trail.userIdentity ?? (ctx.caller ? userIdentity(ctx.caller) : { type: 'Unknown' }),
    eventTime: isoSeconds(ctx.clock.now()),
    eventSource: `${ctx.service}.amazonaws.com`,
    eventName: ctx.action,
    awsRegion: ctx.service === 'iam' ? 'us-east-1' : ctx.region,
    sourceIPAddress: outcome.sourceIPAddress,
    userAgent: outcome.userAgent,
  };
  if (outcome.error) {
    record.errorCode = outcome.error.code;
    record.errorMessage = outcome.error.message;
  }
  record.requestParameters =
    trail.requestParameters !== undefined
      ? trail.requestParameters
      : camelCase(withoutProtocolFields(ctx.input));
  record.responseElements =
    outcome.error || outcome.readOnly
      ? null
      : trail.responseElements !== undefined
        ? trail.responseElements
        : camelCase(outcome.output ?? null);
  if (trail.additionalEventData) record.additionalEventData = trail.additionalEventData;
  Object.assign(record, {
    requestID: ctx.requestId,
    eventID: randomUUID(),
    readOnly: outcome.readOnly,
    resources: trail.resources?.map((r) => ({
      accountId: ctx.accountId,
      type: r.ResourceType,
      ARN: r.ResourceName,
    })),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ctx.accountId,
    eventCategory: 'Management',
  });
  if (!trail.resources) delete record.resources;
  return record;
}

export function userIdentity(credential: Credential): CloudTrailRecord {
  const identity = credential.identity;
  if (identity.type === 'IAMUser') {
    return {
      type: 'IAMUser',
      principalId: identity.principalId,
      arn: identity.arn,
      accountId: identity.accountId,
      accessKeyId: credential.accessKeyId,
      userName: identity.userName,
    };
  }
  return {
    type: 'AssumedRole',
    principalId: identity.principalId,
    arn: identity.arn,
    accountId: identity.accountId,
    accessKeyId: credential.accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: identity.roleId,
        arn: identity.roleArn,
        accountId: identity.accountId,
        userName: identity.roleName,
      },
      webIdFederationData: identity.federatedProvider
        ? { federatedProvider: identity.federatedProvider, attributes: {} }
        : {},
      attributes: { creationDate: isoSeconds(identity.issuedAt), mfaAuthenticated: 'false' },
    },
  };
}

function withoutProtocolFields(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const rest = Object.fromEntries(
    Object.entries(input).filter(([key]) => key !== 'Action' && key !== 'Version'),
  );
  return Object.keys(rest).length > 0 ? rest : null;
}

/** CloudTrail logs API members in lowerCamelCase (`policyName`, `tags: [{ key, value }]`). */
function camelCase(value: unknown): unknown {
  if (value instanceof Date) return isoSeconds(value);
  if (Array.isArray(value)) return value.map(camelCase);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[key.charAt(0).toLowerCase() + key.slice(1)] = camelCase(v);
  }
  return out;
}
