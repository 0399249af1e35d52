import { callerAccount, type Operation } from '../operation.js';
import {
  alreadyExists,
  deleteConflict,
  limitExceeded,
  validationError,
} from '../protocol/errors.js';
import {
  list,
  optionalBoolean,
  optionalString,
  requiredString,
  type QueryParams,
} from '../protocol/query.js';
import type { XmlObject } from '../protocol/xml.js';
import { AWS_MANAGED } from '../state.js';
import {
  MAX_TAGS,
  attachmentsIn,
  awsManaged,
  byKey,
  marker,
  maxItems,
  onPolicy,
  policyXml,
  readPath,
  readTags,
  requestTagContext,
  requirePolicy,
  tagsXml,
  type IamContext,
} from './common.js';
import { checkPolicyDocument } from './documents.js';
import { page } from './paging.js';

type IamOperation = Operation<QueryParams, XmlObject | undefined>;

const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

function policyArnFromInput(ctx: IamContext): string {
  return requiredString(ctx.input, 'PolicyArn');
}

export const policyOperations: Record<string, IamOperation> = {
  CreatePolicy: {
    readOnly: false,
    // Tagging on creation needs iam:TagPolicy as well, as tagging afterwards would.
    authorize: (ctx) => {
      const name = requiredString(ctx.input, 'PolicyName');
      const path = readPath(ctx.input, 'Path');
      const resource = `arn:aws:iam::${callerAccount(ctx)}:policy${path}${name}`;
      const tags = readTags(ctx.input);
      const context = requestTagContext(tags);
      const create = { action: 'iam:CreatePolicy', resource, context };
      return tags.length > 0 ? [create, { action: 'iam:TagPolicy', resource, context }] : [create];
    },
    run: (ctx) => {
      const name = requiredString(ctx.input, 'PolicyName');
      if (!POLICY_NAME.test(name))
        throw validationError(
          'policyName',
          'Member must satisfy regular expression pattern: [\\w+=,.@-]+',
          name,
        );
      const path = readPath(ctx.input, 'Path');
      const text = requiredString(ctx.input, 'PolicyDocument');
      const description = optionalString(ctx.input, 'Description');
      if (description !== undefined && description.length > 1000)
        throw validationError(
          'description',
          'Member must have length less than or equal to 1000',
          description,
        );
      const tags = readTags(ctx.input);
      if (tags.length > MAX_TAGS)
        throw limitExceeded(`Cannot exceed quota for TagsPerPolicy: ${MAX_TAGS}`);
      checkPolicyDocument(text);
      const account = callerAccount(ctx);
      // Names are unique per account whatever the path.
      for (const p of ctx.state.policies.values()) {
        if (p.accountId === account && p.name === name)
          throw alreadyExists(
            `A policy called ${name} already exists. Duplicate names are not allowed.`,
          );
      }
      const policy = ctx.state.addManagedPolicy({
        accountId: account,
        name,
        path,
        document: text,
        description,
        tags,
      });
      ctx.trail.resources = [{ ResourceType: 'AWS::IAM::Policy', ResourceName: policy.arn }];
      return { Policy: policyXml(ctx, policy, 'full') };
    },
  },

  GetPolicy: {
    readOnly: true,
    authorize: onPolicy('iam:GetPolicy'),
    run: (ctx) => ({ Policy: policyXml(ctx, requirePolicy(ctx, policyArnFromInput(ctx)), 'full') }),
  },

  ListPolicies: {
    readOnly: true,
    authorize: () => ({ action: 'iam:ListPolicies', resource: '*' }),
    run: (ctx) => {
      const scope = optionalString(ctx.input, 'Scope') ?? 'All';
      if (!['All', 'AWS', 'Local'].includes(scope))
        throw validationError(
          'scope',
          'Member must satisfy enum value set: [All, AWS, Local]',
          scope,
        );
      const onlyAttached = optionalBoolean(ctx.input, 'OnlyAttached') ?? false;
      const prefix = optionalString(ctx.input, 'PathPrefix') ?? '/';
      const account = callerAccount(ctx);
      const visible = [...ctx.state.policies.values()].filter(
        (p) =>
          ((p.accountId === AWS_MANAGED && scope !== 'Local') ||
            (p.accountId === account && scope !== 'AWS')) &&
          p.path.startsWith(prefix) &&
          (!onlyAttached || attachmentsIn(p, account).length > 0),
      );
      const keyOf = (p: { name: string; arn: string }) => `${p.name}\u0000${p.arn}`;
      const result = page(
        visible.sort(byKey(keyOf)),
        keyOf,
        marker(ctx.input),
        maxItems(ctx.input),
      );
      return {
        Policies: result.items.map((p) => policyXml(ctx, p, 'list')),
        IsTruncated: result.IsTruncated,
        Marker: result.Marker,
      };
    },
  },

  DeletePolicy: {
    readOnly: false,
    authorize: onPolicy('iam:DeletePolicy'),
    run: (ctx) => {
      const policy = requirePolicy(ctx, policyArnFromInput(ctx));
      ctx.trail.resources = [{ ResourceType: 'AWS::IAM::Policy', ResourceName: policy.arn }];
      if (policy.accountId === AWS_MANAGED) throw awsManaged(policy.arn);
      if (policy.attachments.size > 0)
        throw deleteConflict('Cannot delete a policy attached to entities.');
      if (policy.versions.length > 1)
        throw deleteConflict(
          "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        );
      ctx.state.policies.delete(policy.arn);
      return undefined;
    },
  },

  ListPolicyTags: {
    readOnly: true,
    authorize: onPolicy('iam:ListPolicyTags'),
    run: (ctx) => {
      const policy = requirePolicy(ctx, policyArnFromInput(ctx));
      const result = page(policy.tags, (t) => t.Key, marker(ctx.input), maxItems(ctx.input));
      return {
        Tags: tagsXml(result.items),
        IsTruncated: result.IsTruncated,
        Marker: result.Marker,
      };
    },
  },

  TagPolicy: {
    readOnly: false,
    authorize: (ctx) => {
      const request = onPolicy('iam:TagPolicy')(ctx);
      return {
        ...request,
        context: { ...request.context, ...requestTagContext(readTags(ctx.input)) },
      };
    },
    run: (ctx) => {
      const policy = requirePolicy(ctx, policyArnFromInput(ctx));
      ctx.trail.resources = [{ ResourceType: 'AWS::IAM::Policy', ResourceName: policy.arn }];
      if (policy.accountId === AWS_MANAGED) throw awsManaged(policy.arn);
      const tags = readTags(ctx.input);
      const merged = new Map(policy.tags.map((t) => [t.Key, t.Value]));
      for (const t of tags) merged.set(t.Key, t.Value);
      if (merged.size > MAX_TAGS)
        throw limitExceeded(`Cannot exceed quota for TagsPerPolicy: ${MAX_TAGS}`);
      policy.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
      return undefined;
    },
  },

  UntagPolicy: {
    readOnly: false,
    authorize: (ctx) => {
      const request = onPolicy('iam:UntagPolicy')(ctx);
      const keys = list(ctx.input, 'TagKeys').map(String);
      return {
        ...request,
        context: { ...request.context, ...(keys.length ? { 'aws:TagKeys': keys } : {}) },
      };
    },
    run: (ctx) => {
      const policy = requirePolicy(ctx, policyArnFromInput(ctx));
      ctx.trail.resources = [{ ResourceType: 'AWS::IAM::Policy', ResourceName: policy.arn }];
      if (policy.accountId === AWS_MANAGED) throw awsManaged(policy.arn);
      const keys = new Set(list(ctx.input, 'TagKeys').map(String));
      policy.tags = policy.tags.filter((t) => !keys.has(t.Key));
      return undefined;
    },
  },
};
