/**
 * What one Identity Center grant asks for, decided before any call: a permission set of its own
 * per request, named within Identity Center's limits, tagged like the IAM backend's policy, with
 * the same time-bound document inline and a session no longer than the window needs.
 */
import { createHash } from 'node:crypto';
import type { GrantWindow, IdentityCenter } from '../domain.js';
import type { BuiltPolicy, Tag } from '../policy/build.js';

export interface PermissionSetGrant {
  instanceArn: string;
  identityStoreId: string;
  /** The target account the permission set is assigned in. */
  accountId: string;
  /** The Identity Center user name; its id is looked up at grant time. */
  userName: string;
  name: string;
  description: string;
  /** ISO 8601, whole hours within PT1H..PT12H. */
  sessionDuration: string;
  /** The inline policy: exactly the document the IAM backend attaches. */
  document: string;
  tags: Tag[];
}

/** Identity Center's limit on permission set names, whose characters are `[\w+=,.@-]`. */
export const PERMISSION_SET_NAME_LIMIT = 32;
const PREFIX = PERMISSION_SET_NAME_LIMIT - 'jit-'.length - '-'.length - 8;

/**
 * `jit-<request id prefix>-<hash>`: readable in the console, stable across runs, and distinct per
 * request and PR even when two long request ids share their first characters.
 */
export function permissionSetName(requestId: string, pr?: number): string {
  const hash = createHash('sha256')
    .update(`${requestId}\n${pr ?? ''}`)
    .digest('hex')
    .slice(0, 8);
  const prefix = requestId
    .slice(0, PREFIX)
    .replace(/[^\w+=,.@-]/g, '-')
    .replace(/-+$/, '');
  return `jit-${prefix}-${hash}`;
}

const HOUR = 3_600_000;

/**
 * The longest session a sign-in may get: the window's remaining length rounded up to the hour,
 * within Identity Center's PT1H..PT12H. The policy's own time conditions still end access at
 * expiry; this only keeps a session from outliving the grant by more than an hour's rounding.
 */
export function sessionDuration(window: GrantWindow, now: Date): string {
  const from = Math.max(now.getTime(), window.start.getTime());
  const hours = Math.ceil((window.expiry.getTime() - from) / HOUR);
  return `PT${Math.min(12, Math.max(1, hours))}H`;
}

/** Hours in a `PTnH` / `PTnHmM` duration, or NaN. */
export function sessionHours(duration: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(duration);
  if (!m || (m[1] ?? m[2] ?? m[3]) === undefined) return Number.NaN;
  return Number(m[1] ?? 0) + Number(m[2] ?? 0) / 60 + Number(m[3] ?? 0) / 3600;
}

/** Tags the broker's conditions and the sweep select on. */
export const MANAGED_TAG: Tag = { Key: 'jit:managed', Value: 'true' };

export function planPermissionSet(input: {
  policy: BuiltPolicy;
  identityCenter: IdentityCenter;
  userName: string;
  accountId: string;
  requestId: string;
  window: GrantWindow;
  now: Date;
  pr?: number;
}): PermissionSetGrant {
  const { policy, identityCenter } = input;
  return {
    instanceArn: identityCenter.instanceArn,
    identityStoreId: identityCenter.identityStoreId,
    accountId: input.accountId,
    userName: input.userName,
    name: permissionSetName(input.requestId, input.pr),
    // Permission set descriptions take U+0020..U+007E, U+00A1..U+00FF and tab/newlines, 700 at most.
    description: policy.description
      .replace(/[^\t\n\r\u0020-\u007e\u00a1-\u00ff]/g, '_')
      .slice(0, 700),
    sessionDuration: sessionDuration(input.window, input.now),
    document: policy.json,
    tags: [...policy.tags, { Key: 'jit:account', Value: input.accountId }, MANAGED_TAG],
  };
}
