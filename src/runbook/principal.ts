/**
 * Whose CloudTrail records a run reads, parsed once from the runbook's `principal` text:
 *
 * - an IAM user ARN: its own calls (`userIdentity.arn`);
 * - an IAM role ARN: every session of the role, whatever IAM path the ARN is written with. Role
 *   names are unique in an account whatever their path, and an Identity Center role is named in
 *   configs both with and without its `/aws-reserved/sso.amazonaws.com/[region/]` path;
 * - `sso-user:<user name>`: an IAM Identity Center user's sessions of every `AWSReservedSSO_*`
 *   role (every permission set) in every account, whose session name is the user name;
 * - anything else: records whose `userIdentity.arn` or session issuer ARN is exactly that text.
 *
 * The three sources (files, LookupEvents, Athena) match with the same rules: the predicates
 * here, and their SQL in `sql/compile.ts`, which mirrors them clause for clause.
 */
import type { CloudTrailRecord } from './event.js';

export type Principal =
  | { kind: 'user'; arn: string; name: string }
  | { kind: 'role'; arn: string; partition: string; account: string; name: string }
  | { kind: 'sso-user'; userName: string }
  | { kind: 'arn'; arn: string };

/** The text form of an Identity Center user: `sso-user:alice@acme.com`. */
const SSO_USER_PREFIX = 'sso-user:';
/** Identity Center names every role it creates for a permission set so. */
export const SSO_ROLE_PREFIX = 'AWSReservedSSO_';
/**
 * The IAM path of those roles, sometimes followed by a region segment
 * (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html).
 */
export const SSO_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';

const USER_ARN = /^arn:[^:]+:iam::[^:]*:user\/(?:.*\/)?([^/]+)$/;
const ROLE_ARN = /^arn:([^:]+):iam::([^:]*):role\/(?:.*\/)?([^/]+)$/;

export const ssoUserPrincipal = (userName: string): string => `${SSO_USER_PREFIX}${userName}`;

export function parsePrincipal(text: string): Principal {
  if (text.startsWith(SSO_USER_PREFIX) && text.length > SSO_USER_PREFIX.length)
    return { kind: 'sso-user', userName: text.slice(SSO_USER_PREFIX.length) };
  const user = USER_ARN.exec(text);
  if (user) return { kind: 'user', arn: text, name: user[1]! };
  const role = ROLE_ARN.exec(text);
  if (role)
    return { kind: 'role', arn: text, partition: role[1]!, account: role[2]!, name: role[3]! };
  return { kind: 'arn', arn: text };
}

/**
 * Identity Center user names compare without regard to case. Only ASCII letters are folded:
 * the same fold is written in SQL with `translate`, so every source folds alike (Unicode case
 * mappings differ between JavaScript, Trino and DuckDB).
 */
export function foldCase(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** `arn:P:iam::A:role/`: what every ARN of the role starts with, whatever its path. */
export const rolePrefix = (p: Extract<Principal, { kind: 'role' }>): string =>
  `arn:${p.partition}:iam::${p.account}:role/`;

/** The role's ARN under any path: `prefix` + name, or `prefix` + path + `/` + name. */
function isRoleArn(p: Extract<Principal, { kind: 'role' }>, arn: unknown): boolean {
  if (typeof arn !== 'string') return false;
  const prefix = rolePrefix(p);
  if (!arn.startsWith(prefix)) return false;
  if (arn.length === prefix.length + p.name.length) return arn.endsWith(p.name);
  return arn.length > prefix.length + p.name.length && arn.endsWith(`/${p.name}`);
}

/** What SQL's LIKE `arn:%:iam::%:role/aws-reserved/sso.amazonaws.com/%` matches. */
const SSO_ISSUER = /^arn:[\s\S]*:iam::[\s\S]*:role\/aws-reserved\/sso\.amazonaws\.com\/[\s\S]*$/;

/**
 * An Identity Center session: an assumed-role ARN `…:assumed-role/AWSReservedSSO_…/<session>`
 * (cut at `/` as SQL's `split_part` does) issued by a role under the reserved path. The path is
 * checked too so that a role someone named `AWSReservedSSO_x` elsewhere, assumed with another
 * person's name as its session name, is not taken for that person.
 */
function ssoSessionOf(userName: string): (record: CloudTrailRecord) => boolean {
  const wanted = foldCase(userName);
  return (record) => {
    const id = record.userIdentity;
    if (id?.type !== 'AssumedRole' || typeof id.arn !== 'string') return false;
    const parts = id.arn.split('/');
    return (
      (parts[1] ?? '').startsWith(SSO_ROLE_PREFIX) &&
      foldCase(parts[2] ?? '') === wanted &&
      SSO_ISSUER.test(id.sessionContext?.sessionIssuer?.arn ?? '')
    );
  };
}

/** Whether the principal made the call: compiled once per run. */
export function madeByPrincipal(p: Principal): (record: CloudTrailRecord) => boolean {
  switch (p.kind) {
    case 'user':
    case 'arn':
      return (record) => {
        const id = record.userIdentity;
        return !!id && (id.arn === p.arn || id.sessionContext?.sessionIssuer?.arn === p.arn);
      };
    case 'role':
      return (record) => {
        const id = record.userIdentity;
        return !!id && (id.arn === p.arn || isRoleArn(p, id.sessionContext?.sessionIssuer?.arn));
      };
    case 'sso-user':
      return ssoSessionOf(p.userName);
  }
}

/**
 * How an IAM policy attachment call names the principal: `requestParameters.userName` for a
 * user, `roleName` for a role; none for anything else (no IAM call attaches to it).
 */
export function attachmentTarget(
  p: Principal,
): { field: 'userName' | 'roleName'; name: string } | undefined {
  if (p.kind === 'user') return { field: 'userName', name: p.name };
  if (p.kind === 'role') return { field: 'roleName', name: p.name };
  return undefined;
}
