import type { Operation } from '../operation.js';
import { deleteConflict, limitExceeded, noSuchEntity } from '../protocol/errors.js';
import { optionalBoolean, requiredString, type QueryParams } from '../protocol/query.js';
import type { XmlObject } from '../protocol/xml.js';
import type { ManagedPolicy, PolicyVersion } from '../state.js';
import {
  awsManaged,
  marker,
  maxItems,
  onPolicy,
  requirePolicy,
  type IamContext,
} from './common.js';
import { checkPolicyDocument } from './documents.js';
import { page } from './paging.js';

type IamOperation = Operation<QueryParams, XmlObject | undefined>;

/** A managed policy keeps at most five versions. */
export const MAX_VERSIONS = 5;

function requireVersion(policy: ManagedPolicy, versionId: string): PolicyVersion {
  const version = policy.versions.find((v) => v.versionId === versionId);
  if (!version)
    throw noSuchEntity(
      `Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`,
    );
  return version;
}

const versionXml = (v: PolicyVersion, document: boolean): XmlObject => ({
  // AWS returns documents URL-encoded (RFC 3986), and SDKs hand them over still encoded.
  Document: document ? encodeURIComponent(v.document) : undefined,
  VersionId: v.versionId,
  IsDefaultVersion: v.isDefault,
  CreateDate: v.createDate,
});

function trailPolicy(ctx: IamContext, policy: ManagedPolicy): void {
  ctx.trail.resources = [{ ResourceType: 'AWS::IAM::Policy', ResourceName: policy.arn }];
}

export const versionOperations: Record<string, IamOperation> = {
  GetPolicyVersion: {
    readOnly: true,
    authorize: onPolicy('iam:GetPolicyVersion'),
    run: (ctx) => {
      const policy = requirePolicy(ctx, requiredString(ctx.input, 'PolicyArn'));
      const version = requireVersion(policy, requiredString(ctx.input, 'VersionId'));
      return { PolicyVersion: versionXml(version, true) };
    },
  },

  ListPolicyVersions: {
    readOnly: true,
    authorize: onPolicy('iam:ListPolicyVersions'),
    run: (ctx) => {
      const policy = requirePolicy(ctx, requiredString(ctx.input, 'PolicyArn'));
      // Newest first, as IAM lists them; keys sort that way when zero-padded and inverted.
      const newestFirst = [...policy.versions].reverse();
      const keyOf = (v: PolicyVersion) =>
        String(1e9 - Number(v.versionId.slice(1))).padStart(10, '0');
      const result = page(newestFirst, keyOf, marker(ctx.input), maxItems(ctx.input));
      return {
        Versions: result.items.map((v) => versionXml(v, false)),
        IsTruncated: result.IsTruncated,
        Marker: result.Marker,
      };
    },
  },

  CreatePolicyVersion: {
    readOnly: false,
    authorize: onPolicy('iam:CreatePolicyVersion'),
    run: (ctx) => {
      const policy = requirePolicy(ctx, requiredString(ctx.input, 'PolicyArn'));
      trailPolicy(ctx, policy);
      if (policy.accountId === 'aws') throw awsManaged(policy.arn);
      const text = requiredString(ctx.input, 'PolicyDocument');
      checkPolicyDocument(text);
      if (policy.versions.length >= MAX_VERSIONS)
        throw limitExceeded(
          `A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
        );
      const setAsDefault = optionalBoolean(ctx.input, 'SetAsDefault') ?? false;
      const now = ctx.clock.now();
      if (setAsDefault) for (const v of policy.versions) v.isDefault = false;
      const version: PolicyVersion = {
        versionId: `v${policy.nextVersion++}`,
        document: text,
        isDefault: setAsDefault,
        createDate: now,
      };
      policy.versions.push(version);
      policy.updateDate = now;
      return { PolicyVersion: versionXml(version, false) };
    },
  },

  DeletePolicyVersion: {
    readOnly: false,
    authorize: onPolicy('iam:DeletePolicyVersion'),
    run: (ctx) => {
      const policy = requirePolicy(ctx, requiredString(ctx.input, 'PolicyArn'));
      trailPolicy(ctx, policy);
      if (policy.accountId === 'aws') throw awsManaged(policy.arn);
      const version = requireVersion(policy, requiredString(ctx.input, 'VersionId'));
      if (version.isDefault) throw deleteConflict('Cannot delete the default version of a policy.');
      policy.versions = policy.versions.filter((v) => v !== version);
      return undefined;
    },
  },

  SetDefaultPolicyVersion: {
    readOnly: false,
    authorize: onPolicy('iam:SetDefaultPolicyVersion'),
    run: (ctx) => {
      const policy = requirePolicy(ctx, requiredString(ctx.input, 'PolicyArn'));
      trailPolicy(ctx, policy);
      if (policy.accountId === 'aws') throw awsManaged(policy.arn);
      const version = requireVersion(policy, requiredString(ctx.input, 'VersionId'));
      for (const v of policy.versions) v.isDefault = v === version;
      policy.updateDate = ctx.clock.now();
      return undefined;
    },
  },
};
