import type { AuthzRequest, ContextValues } from '../authz/evaluate.js';
import type { CallContext } from '../operation.js';
import { callerAccount } from '../operation.js';
import {
  AwsError,
  accessDenied,
  invalidInput,
  noSuchEntity,
  validationError,
} from '../protocol/errors.js';
import {
  list,
  optionalInteger,
  optionalString,
  requiredString,
  type QueryParams,
} from '../protocol/query.js';
import type { XmlObject } from '../protocol/xml.js';
import {
  AWS_MANAGED,
  type Entity,
  type EntityKind,
  type ManagedPolicy,
  type Tag,
} from '../state.js';

export type IamContext = CallContext<QueryParams>;

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:[\u0021-\u007E]*\/)?)([\w+=,.@-]+)$/;

/** A managed policy the caller can see: its own account's, or AWS managed. */
export function requirePolicy(ctx: IamContext, arn: string): ManagedPolicy {
  const m = POLICY_ARN.exec(arn);
  if (!m) throw invalidInput(`ARN ${arn} is not valid.`);
  const policy = ctx.state.policies.get(arn);
  const visible =
    policy && (policy.accountId === AWS_MANAGED || policy.accountId === callerAccount(ctx));
  if (!policy || !visible) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

export function requireEntity(ctx: IamContext, kind: EntityKind, name: string): Entity {
  const entity = ctx.state.entity(kind, callerAccount(ctx), name);
  if (!entity) throw noSuchEntity(`The ${kind} with name ${name} cannot be found.`);
  return entity;
}

/** The ARN IAM authorises against: the entity's if it exists, else the one its name implies. */
export function entityArn(ctx: IamContext, kind: EntityKind, name: string): string {
  const account = callerAccount(ctx);
  return ctx.state.entity(kind, account, name)?.arn ?? `arn:aws:iam::${account}:${kind}/${name}`;
}

/** Attachments in the caller's account: AWS managed policies are shared, their counts are not. */
export function attachmentsIn(policy: ManagedPolicy, accountId: string): string[] {
  return [...policy.attachments].filter((arn) => arn.split(':')[4] === accountId);
}

export function policyXml(
  ctx: IamContext,
  policy: ManagedPolicy,
  detail: 'full' | 'list',
): XmlObject {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.versions.find((v) => v.isDefault)?.versionId,
    AttachmentCount: attachmentsIn(policy, callerAccount(ctx)).length,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    // AWS leaves description and tags out of ListPolicies entries.
    Description: detail === 'full' ? policy.description : undefined,
    CreateDate: policy.createDate,
    UpdateDate: policy.updateDate,
    Tags: detail === 'full' && policy.tags.length > 0 ? tagsXml(policy.tags) : undefined,
  };
}

export const tagsXml = (tags: Tag[]): XmlObject[] =>
  tags.map((t) => ({ Key: t.Key, Value: t.Value }));

export const MAX_TAGS = 50;

export function readTags(params: QueryParams, member = 'Tags'): Tag[] {
  return list(params, member).map((item, i) => {
    const tag = item as Record<string, unknown>;
    const key = tag.Key;
    const value = tag.Value ?? '';
    if (typeof key !== 'string' || key.length < 1 || key.length > 128)
      throw validationError(
        `tags.${i + 1}.member.key`,
        'Member must have length between 1 and 128',
        key,
      );
    if (typeof value !== 'string' || value.length > 256)
      throw validationError(
        `tags.${i + 1}.member.value`,
        'Member must have length less than or equal to 256',
        value,
      );
    return { Key: key, Value: value };
  });
}

export const maxItems = (params: QueryParams): number | undefined =>
  optionalInteger(params, 'MaxItems', 1, 1000);

export const marker = (params: QueryParams): string | undefined => optionalString(params, 'Marker');

export const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;

export function readPath(params: QueryParams, member: string): string {
  const path = optionalString(params, member) ?? '/';
  if (path.length > 512 || !PATH.test(path))
    throw validationError(
      member.charAt(0).toLowerCase() + member.slice(1),
      'Member must satisfy regular expression pattern: ((/[A-Za-z0-9\\.,\\+@=_-]+)*)/',
      path,
    );
  return path;
}

/** Byte-order comparison, the order IAM lists names in and the order paging keys assume. */
export const byKey =
  <T>(keyOf: (item: T) => string) =>
  (a: T, b: T): number => {
    const [x, y] = [keyOf(a), keyOf(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  };

/** AWS managed policies are read-only to every account. */
export const awsManaged = (arn: string) =>
  accessDenied(`Cannot modify the AWS managed policy ${arn}.`);

/**
 * Authorisation on an existing policy, with its tags as `aws:ResourceTag/...` so a broker can be
 * limited to the policies it tagged.
 */
export const onPolicy =
  (action: string) =>
  (ctx: IamContext): AuthzRequest => {
    const arn = requiredString(ctx.input, 'PolicyArn');
    const context: ContextValues = {};
    for (const tag of ctx.state.policies.get(arn)?.tags ?? [])
      context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
    return { action, resource: arn, context };
  };

/** `aws:RequestTag/...` and `aws:TagKeys` for calls that set tags. */
export function requestTagContext(tags: Tag[]): ContextValues {
  if (tags.length === 0) return {};
  const context: ContextValues = { 'aws:TagKeys': tags.map((t) => t.Key) };
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  return context;
}

/**
 * Roles a service manages (IAM Identity Center's `AWSReservedSSO_*` roles on
 * `/aws-reserved/sso.amazonaws.com/`) are changed by that service alone: IAM answers
 * UnmodifiableEntity to everyone else, administrators included
 * (https://repost.aws/knowledge-center/identity-center-aws-reserved-sso).
 */
export function refuseProtected(entity: Entity): void {
  if (entity.kind === 'role' && entity.path.startsWith('/aws-reserved/'))
    throw new AwsError(
      'UnmodifiableEntity',
      `Cannot perform the operation on the protected role '${entity.name}' - this role is only modifiable by AWS`,
    );
}
