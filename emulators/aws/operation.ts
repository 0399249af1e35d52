import type { AuthzRequest } from './authz/evaluate.js';
import type { Clock } from './clock.js';
import type { CloudTrailRecord, EventResource } from './cloudtrail/store.js';
import type { AwsState, Credential } from './state.js';

export type Service = 'iam' | 'sts' | 'cloudtrail' | 'athena' | 'sso' | 'identitystore';

/** One API call in flight: who made it, where, and what the CloudTrail record should say. */
export interface CallContext<Input> {
  state: AwsState;
  clock: Clock;
  service: Service;
  action: string;
  region: string;
  requestId: string;
  input: Input;
  /** The verified signer; absent only for unsigned calls (AssumeRoleWithWebIdentity). */
  caller?: Credential;
  /** The account the call acts in: the caller's, or the role's for a web identity. */
  accountId?: string;
  /** What the operation learns for its CloudTrail record, even if it then fails. */
  trail: {
    userIdentity?: CloudTrailRecord;
    resources?: EventResource[];
    requestParameters?: Record<string, unknown> | null;
    responseElements?: Record<string, unknown> | null;
    additionalEventData?: Record<string, unknown>;
  };
}

export interface Operation<Input, Output> {
  readOnly: boolean;
  /** What identity-based authorisation this call needs; absent for calls AWS never authorises. */
  authorize?(ctx: CallContext<Input>): AuthzRequest | AuthzRequest[];
  run(ctx: CallContext<Input>): Output | Promise<Output>;
}

/** The caller's account; operations that need one run only for signed calls. */
export function callerAccount(ctx: CallContext<unknown>): string {
  return ctx.caller?.identity.accountId ?? ctx.state.defaultAccountId;
}
