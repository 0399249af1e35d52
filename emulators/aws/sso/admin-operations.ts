/**
 * SSO Admin (JSON 1.1, target prefix `SWBExternalService.`, signing name `sso`), as the API
 * reference documents it (https://docs.aws.amazon.com/singlesignon/latest/APIReference/).
 * Every call is authorised on the resources the Service Authorization Reference lists for its
 * action (instance, permission set, account), each of them, as IAM does for multi-resource
 * actions; permission set calls carry the set's tags as `aws:ResourceTag/...`.
 */
import { validateIdentityPolicy } from '@cloud-copilot/iam-policy';
import type { AuthzRequest, ContextValues } from '../authz/evaluate.js';
import type { CallContext, Operation } from '../operation.js';
import { callerAccount } from '../operation.js';
import type { Tag } from '../state.js';
import {
  durationSeconds,
  type AsyncRequest,
  type IdentityCenter,
  type PermissionSet,
  type PrincipalType,
} from './center.js';
import {
  ACCOUNT_ID,
  INSTANCE_ARN,
  MAX_TAGS,
  PERMISSION_SET_ARN,
  PRINCIPAL_ID,
  conflict,
  constraintError,
  invalid,
  notFound,
  optionalString,
  pageOf,
  quotaExceeded,
  readTags,
  requiredEnum,
  requiredString,
  type JsonInput,
} from './input.js';

type Ctx = CallContext<JsonInput>;
type SsoOperation = Operation<JsonInput, unknown>;

const NAME = /[\w+=,.@-]+/;
const DESCRIPTION = /[\t\n\r\u0020-\u007E\u00A1-\u00FF]*/;
const DURATION =
  /(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?/;
const POLICY_TEXT = /[\t\n\r\u0020-\u00FF]+/;
/** Inline policy: 32,768 characters, of which at most 10,240 other than whitespace. */
const POLICY_MAX = 32_768;
const POLICY_NON_WHITESPACE = 10_240;
const PROVISIONING = ['LATEST_PERMISSION_SET_PROVISIONED', 'LATEST_PERMISSION_SET_NOT_PROVISIONED'];

const epoch = (date: Date): number => date.getTime() / 1000;
const accountArn = (id: string): string => `arn:aws:sso:::account/${id}`;

export function ssoAdminOperations(center: IdentityCenter): Record<string, SsoOperation> {
  const instanceArnOf = (ctx: Ctx): string =>
    requiredString(ctx.input, 'InstanceArn', { min: 10, max: 1224, pattern: INSTANCE_ARN });

  /** The instance named, if the caller's account owns it (member accounts do not see it). */
  const requireInstance = (ctx: Ctx): void => {
    center.settleDue();
    const arn = instanceArnOf(ctx);
    if (arn !== center.instanceArn || callerAccount(ctx) !== center.ownerAccountId)
      throw notFound(`Instance ${arn} does not exist.`);
  };

  const psArnOf = (ctx: Ctx, member = 'PermissionSetArn'): string =>
    requiredString(ctx.input, member, { min: 10, max: 1224, pattern: PERMISSION_SET_ARN });

  const requirePermissionSet = (ctx: Ctx, member = 'PermissionSetArn'): PermissionSet => {
    requireInstance(ctx);
    const arn = psArnOf(ctx, member);
    const ps = center.permissionSets.get(arn);
    if (!ps) throw notFound(`Could not find PermissionSet with PermissionSetArn ${arn}.`);
    return ps;
  };

  const resourceTags = (arn: string): ContextValues => {
    const context: ContextValues = {};
    for (const tag of center.permissionSets.get(arn)?.tags ?? [])
      context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
    return context;
  };

  /** One authorisation request per resource type the action requires. */
  const on =
    (action: string, parts: { permissionSet?: boolean; account?: 'TargetId' | 'AccountId' }) =>
    (ctx: Ctx): AuthzRequest[] => {
      const requests: AuthzRequest[] = [{ action, resource: instanceArnOf(ctx) }];
      if (parts.permissionSet) {
        const arn = psArnOf(ctx);
        requests.push({ action, resource: arn, context: resourceTags(arn) });
      }
      if (parts.account) {
        const id = requiredString(ctx.input, parts.account, {
          min: 12,
          max: 12,
          pattern: ACCOUNT_ID,
        });
        requests.push({ action, resource: accountArn(id) });
      }
      return requests;
    };

  const describePs = (ps: PermissionSet) => ({
    Name: ps.name,
    PermissionSetArn: ps.arn,
    Description: ps.description,
    CreatedDate: epoch(ps.createdDate),
    SessionDuration: ps.sessionDuration,
    RelayState: ps.relayState,
  });

  const assignmentStatus = (r: AsyncRequest) => ({
    Status: r.status,
    RequestId: r.id,
    FailureReason: r.failureReason,
    TargetId: r.accountId,
    TargetType: 'AWS_ACCOUNT',
    PermissionSetArn: r.permissionSetArn,
    PrincipalType: r.principal?.type,
    PrincipalId: r.principal?.id,
    CreatedDate: epoch(r.created),
  });

  const provisioningStatus = (r: AsyncRequest) => ({
    Status: r.status,
    RequestId: r.id,
    AccountId: r.accountId,
    PermissionSetArn: r.permissionSetArn,
    FailureReason: r.failureReason,
    CreatedDate: epoch(r.created),
  });

  const requestOf = (ctx: Ctx, member: string, kind: AsyncRequest['kind']): AsyncRequest => {
    requireInstance(ctx);
    const id = requiredString(ctx.input, member, {
      pattern: /\b[0-9a-f]{8}\b-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-\b[0-9a-f]{12}\b/,
    });
    const request = center.requests.get(id);
    if (!request || request.kind !== kind) throw notFound(`Request ${id} does not exist.`);
    return center.poll(request);
  };

  const assignmentInput = (ctx: Ctx) => {
    const ps = requirePermissionSet(ctx);
    requiredEnum(ctx.input, 'TargetType', ['AWS_ACCOUNT']);
    const accountId = requiredString(ctx.input, 'TargetId', {
      min: 12,
      max: 12,
      pattern: ACCOUNT_ID,
    });
    const type = requiredEnum<PrincipalType>(ctx.input, 'PrincipalType', ['USER', 'GROUP']);
    const id = requiredString(ctx.input, 'PrincipalId', { min: 1, max: 47, pattern: PRINCIPAL_ID });
    return { ps, accountId, principal: { type, id } };
  };

  const provisioningFilter = (ctx: Ctx, ps: PermissionSet, accountId: string): boolean => {
    const filter = optionalString(ctx.input, 'ProvisioningStatus');
    if (filter === undefined) return true;
    if (!PROVISIONING.includes(filter))
      throw constraintError(
        'ProvisioningStatus',
        `Member must satisfy enum value set: [${PROVISIONING.join(', ')}]`,
        filter,
      );
    return center.isLatest(ps, accountId) === (filter === PROVISIONING[0]);
  };

  const tagTarget = (ctx: Ctx): PermissionSet => {
    // Tags can only be applied to permission sets (the API reference's Tag type).
    requireInstance(ctx);
    const arn = requiredString(ctx.input, 'ResourceArn', { min: 10, max: 2048 });
    const ps = center.permissionSets.get(arn);
    if (!ps) throw notFound(`Could not find resource ${arn}.`);
    return ps;
  };

  const tagRequests = (action: string, context: (ctx: Ctx) => ContextValues) => (ctx: Ctx) => {
    const arn = requiredString(ctx.input, 'ResourceArn', { min: 10, max: 2048 });
    return [
      { action, resource: instanceArnOf(ctx) },
      { action, resource: arn, context: { ...resourceTags(arn), ...context(ctx) } },
    ];
  };

  return {
    ListInstances: {
      readOnly: true,
      authorize: () => ({ action: 'sso:ListInstances', resource: '*' }),
      run: (ctx) => {
        const mine = callerAccount(ctx) === center.ownerAccountId;
        const instances = mine
          ? [
              {
                InstanceArn: center.instanceArn,
                IdentityStoreId: center.identityStoreId,
                OwnerAccountId: center.ownerAccountId,
                CreatedDate: epoch(center.createdDate),
                Status: 'ACTIVE',
              },
            ]
          : [];
        const page = pageOf(instances, (i) => i.InstanceArn, ctx.input);
        return { Instances: page.items, NextToken: page.NextToken };
      },
    },

    CreatePermissionSet: {
      readOnly: false,
      authorize: (ctx) => {
        const instance = instanceArnOf(ctx);
        const tags = readTags(ctx.input);
        const context = requestTags(tags);
        return [
          { action: 'sso:CreatePermissionSet', resource: instance, context },
          {
            action: 'sso:CreatePermissionSet',
            resource: `arn:aws:sso:::permissionSet/${instance.split('/')[1]}/*`,
            context,
          },
        ];
      },
      run: (ctx) => {
        requireInstance(ctx);
        const name = requiredString(ctx.input, 'Name', { min: 1, max: 32, pattern: NAME });
        const description = optionalString(ctx.input, 'Description', {
          min: 1,
          max: 700,
          pattern: DESCRIPTION,
        });
        const sessionDuration = readDuration(ctx.input);
        const relayState = optionalString(ctx.input, 'RelayState', { min: 1, max: 240 });
        const tags = readTags(ctx.input);
        if (tags.length > MAX_TAGS)
          throw quotaExceeded(`A permission set cannot have more than ${MAX_TAGS} tags.`);
        const ps = center.createPermissionSet({
          name,
          description,
          sessionDuration,
          relayState,
          tags,
        });
        return { PermissionSet: describePs(ps) };
      },
    },

    DescribePermissionSet: {
      readOnly: true,
      authorize: on('sso:DescribePermissionSet', { permissionSet: true }),
      run: (ctx) => ({ PermissionSet: describePs(requirePermissionSet(ctx)) }),
    },

    ListPermissionSets: {
      readOnly: true,
      authorize: on('sso:ListPermissionSets', {}),
      run: (ctx) => {
        requireInstance(ctx);
        const arns = [...center.permissionSets.keys()].sort();
        const page = pageOf(arns, (a) => a, ctx.input);
        return { PermissionSets: page.items, NextToken: page.NextToken };
      },
    },

    DeletePermissionSet: {
      readOnly: false,
      authorize: on('sso:DeletePermissionSet', { permissionSet: true }),
      run: (ctx) => {
        const ps = requirePermissionSet(ctx);
        const busy =
          center.assignments.some((a) => a.permissionSetArn === ps.arn) ||
          center.provisionedAccounts(ps.arn).length > 0 ||
          [...center.requests.values()].some(
            (r) => r.permissionSetArn === ps.arn && r.status === 'IN_PROGRESS',
          );
        if (busy)
          throw conflict(
            `Could not delete because PermissionSet ${ps.arn} is provisioned to accounts or has account assignments.`,
          );
        center.permissionSets.delete(ps.arn);
        return {};
      },
    },

    PutInlinePolicyToPermissionSet: {
      readOnly: false,
      authorize: on('sso:PutInlinePolicyToPermissionSet', { permissionSet: true }),
      run: (ctx) => {
        const ps = requirePermissionSet(ctx);
        const text = requiredString(ctx.input, 'InlinePolicy', {
          min: 1,
          max: POLICY_MAX,
          pattern: POLICY_TEXT,
        });
        checkInlinePolicy(text);
        ps.inlinePolicy = text;
        ps.version += 1;
        return {};
      },
    },

    GetInlinePolicyForPermissionSet: {
      readOnly: true,
      authorize: on('sso:GetInlinePolicyForPermissionSet', { permissionSet: true }),
      run: (ctx) => ({ InlinePolicy: requirePermissionSet(ctx).inlinePolicy ?? '' }),
    },

    DeleteInlinePolicyFromPermissionSet: {
      readOnly: false,
      authorize: on('sso:DeleteInlinePolicyFromPermissionSet', { permissionSet: true }),
      run: (ctx) => {
        const ps = requirePermissionSet(ctx);
        if (ps.inlinePolicy !== undefined) {
          ps.inlinePolicy = undefined;
          ps.version += 1;
        }
        return {};
      },
    },

    TagResource: {
      readOnly: false,
      authorize: tagRequests('sso:TagResource', (ctx) => requestTags(readTags(ctx.input))),
      run: (ctx) => {
        const ps = tagTarget(ctx);
        const tags = readTags(ctx.input);
        const merged = new Map(ps.tags.map((t) => [t.Key, t.Value]));
        for (const tag of tags) merged.set(tag.Key, tag.Value);
        if (merged.size > MAX_TAGS)
          throw quotaExceeded(`A permission set cannot have more than ${MAX_TAGS} tags.`);
        ps.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
        return {};
      },
    },

    UntagResource: {
      readOnly: false,
      authorize: tagRequests('sso:UntagResource', (ctx) => ({ 'aws:TagKeys': tagKeys(ctx.input) })),
      run: (ctx) => {
        const ps = tagTarget(ctx);
        const keys = new Set(tagKeys(ctx.input));
        ps.tags = ps.tags.filter((t) => !keys.has(t.Key));
        return {};
      },
    },

    ListTagsForResource: {
      readOnly: true,
      authorize: tagRequests('sso:ListTagsForResource', () => ({})),
      run: (ctx) => {
        const ps = tagTarget(ctx);
        const page = pageOf(ps.tags, (t) => t.Key, ctx.input, MAX_TAGS);
        return { Tags: page.items, NextToken: page.NextToken };
      },
    },

    ProvisionPermissionSet: {
      readOnly: false,
      authorize: (ctx) => {
        const requests = on('sso:ProvisionPermissionSet', { permissionSet: true })(ctx);
        const target = optionalString(ctx.input, 'TargetId', { pattern: ACCOUNT_ID });
        const accounts = target ? [target] : center.provisionedAccounts(psArnOf(ctx));
        for (const id of accounts.length > 0 ? accounts : ['*'])
          requests.push({ action: 'sso:ProvisionPermissionSet', resource: accountArn(id) });
        return requests;
      },
      run: (ctx) => {
        const ps = requirePermissionSet(ctx);
        const type = requiredEnum(ctx.input, 'TargetType', [
          'AWS_ACCOUNT',
          'ALL_PROVISIONED_ACCOUNTS',
        ]);
        const target = optionalString(ctx.input, 'TargetId', {
          min: 12,
          max: 12,
          pattern: ACCOUNT_ID,
        });
        if (type === 'AWS_ACCOUNT' && target === undefined)
          throw invalid('TargetId is required when TargetType is AWS_ACCOUNT.');
        const request = center.start({
          kind: 'provision',
          permissionSetArn: ps.arn,
          accountId: type === 'AWS_ACCOUNT' ? target : undefined,
        });
        return { PermissionSetProvisioningStatus: provisioningStatus(request) };
      },
    },

    DescribePermissionSetProvisioningStatus: {
      readOnly: true,
      authorize: on('sso:DescribePermissionSetProvisioningStatus', {}),
      run: (ctx) => ({
        PermissionSetProvisioningStatus: provisioningStatus(
          requestOf(ctx, 'ProvisionPermissionSetRequestId', 'provision'),
        ),
      }),
    },

    CreateAccountAssignment: {
      readOnly: false,
      authorize: on('sso:CreateAccountAssignment', { permissionSet: true, account: 'TargetId' }),
      run: (ctx) => {
        const { ps, accountId, principal } = assignmentInput(ctx);
        const request = center.start({
          kind: 'create',
          permissionSetArn: ps.arn,
          accountId,
          principal,
        });
        return { AccountAssignmentCreationStatus: assignmentStatus(request) };
      },
    },

    DescribeAccountAssignmentCreationStatus: {
      readOnly: true,
      authorize: on('sso:DescribeAccountAssignmentCreationStatus', {}),
      run: (ctx) => ({
        AccountAssignmentCreationStatus: assignmentStatus(
          requestOf(ctx, 'AccountAssignmentCreationRequestId', 'create'),
        ),
      }),
    },

    DeleteAccountAssignment: {
      readOnly: false,
      authorize: on('sso:DeleteAccountAssignment', { permissionSet: true, account: 'TargetId' }),
      run: (ctx) => {
        const { ps, accountId, principal } = assignmentInput(ctx);
        const request = center.start({
          kind: 'delete',
          permissionSetArn: ps.arn,
          accountId,
          principal,
        });
        return { AccountAssignmentDeletionStatus: assignmentStatus(request) };
      },
    },

    DescribeAccountAssignmentDeletionStatus: {
      readOnly: true,
      authorize: on('sso:DescribeAccountAssignmentDeletionStatus', {}),
      run: (ctx) => ({
        AccountAssignmentDeletionStatus: assignmentStatus(
          requestOf(ctx, 'AccountAssignmentDeletionRequestId', 'delete'),
        ),
      }),
    },

    ListAccountAssignments: {
      readOnly: true,
      authorize: on('sso:ListAccountAssignments', { permissionSet: true, account: 'AccountId' }),
      run: (ctx) => {
        const ps = requirePermissionSet(ctx);
        const accountId = requiredString(ctx.input, 'AccountId', { pattern: ACCOUNT_ID });
        const rows = center.assignments
          .filter((a) => a.permissionSetArn === ps.arn && a.accountId === accountId)
          .map((a) => ({
            AccountId: a.accountId,
            PermissionSetArn: a.permissionSetArn,
            PrincipalType: a.principalType,
            PrincipalId: a.principalId,
          }))
          .sort((a, b) =>
            compare(`${a.PrincipalType}/${a.PrincipalId}`, `${b.PrincipalType}/${b.PrincipalId}`),
          );
        const page = pageOf(rows, (r) => `${r.PrincipalType}/${r.PrincipalId}`, ctx.input);
        return { AccountAssignments: page.items, NextToken: page.NextToken };
      },
    },

    ListPermissionSetsProvisionedToAccount: {
      readOnly: true,
      authorize: on('sso:ListPermissionSetsProvisionedToAccount', { account: 'AccountId' }),
      run: (ctx) => {
        requireInstance(ctx);
        const accountId = requiredString(ctx.input, 'AccountId', { pattern: ACCOUNT_ID });
        const arns = center
          .provisionedTo(accountId)
          .filter((arn) => provisioningFilter(ctx, center.permissionSets.get(arn)!, accountId))
          .sort();
        const page = pageOf(arns, (a) => a, ctx.input);
        return { PermissionSets: page.items, NextToken: page.NextToken };
      },
    },

    ListAccountsForProvisionedPermissionSet: {
      readOnly: true,
      authorize: on('sso:ListAccountsForProvisionedPermissionSet', { permissionSet: true }),
      run: (ctx) => {
        const ps = requirePermissionSet(ctx);
        const accounts = center
          .provisionedAccounts(ps.arn)
          .filter((id) => provisioningFilter(ctx, ps, id))
          .sort();
        const page = pageOf(accounts, (a) => a, ctx.input);
        return { AccountIds: page.items, NextToken: page.NextToken };
      },
    },
  };
}

function requestTags(tags: Tag[]): ContextValues {
  if (tags.length === 0) return {};
  const context: ContextValues = { 'aws:TagKeys': tags.map((t) => t.Key) };
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  return context;
}

function tagKeys(input: JsonInput): string[] {
  const keys = input.TagKeys;
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string'))
    throw constraintError('TagKeys', 'Member must not be null', undefined);
  if (keys.length > 75)
    throw constraintError(
      'TagKeys',
      'Member must have length less than or equal to 75',
      keys.length,
    );
  return keys as string[];
}

/** ISO 8601, between one and twelve hours (the console and API reference's range). */
function readDuration(input: JsonInput): string | undefined {
  const value = optionalString(input, 'SessionDuration', { min: 1, max: 100, pattern: DURATION });
  if (value === undefined) return undefined;
  const seconds = durationSeconds(value);
  if (!(seconds >= 3600 && seconds <= 43_200))
    throw invalid(`The session duration ${value} must be between PT1H and PT12H.`);
  return value;
}

function checkInlinePolicy(text: string): void {
  if (text.replace(/\s/g, '').length > POLICY_NON_WHITESPACE)
    throw invalid(
      `The inline policy exceeds ${POLICY_NON_WHITESPACE} characters other than whitespace.`,
    );
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalid('The inline policy is not valid JSON.');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw invalid('The inline policy is not a JSON object.');
  const [first] = validateIdentityPolicy(document);
  if (first) throw invalid(`The inline policy is malformed: ${first.message} (${first.path})`);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
