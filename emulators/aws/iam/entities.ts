import type { Operation } from '../operation.js';
import { invalidInput } from '../protocol/errors.js';
import { optionalString, requiredString, type QueryParams } from '../protocol/query.js';
import type { XmlObject } from '../protocol/xml.js';
import type { Role } from '../state.js';
import { entityArn, requireEntity, tagsXml } from './common.js';

type IamOperation = Operation<QueryParams, XmlObject | undefined>;

export const entityOperations: Record<string, IamOperation> = {
  GetUser: {
    readOnly: true,
    authorize: (ctx) => ({ action: 'iam:GetUser', resource: ownOrNamed(ctx) }),
    run: (ctx) => {
      const name = optionalString(ctx.input, 'UserName') ?? selfUserName(ctx);
      const user = requireEntity(ctx, 'user', name);
      return {
        User: {
          Path: user.path,
          UserName: user.name,
          UserId: user.id,
          Arn: user.arn,
          CreateDate: user.createDate,
          Tags: user.tags.length > 0 ? tagsXml(user.tags) : undefined,
        },
      };
    },
  },

  GetRole: {
    readOnly: true,
    authorize: (ctx) => ({
      action: 'iam:GetRole',
      resource: entityArn(ctx, 'role', requiredString(ctx.input, 'RoleName')),
    }),
    run: (ctx) => {
      const role = requireEntity(ctx, 'role', requiredString(ctx.input, 'RoleName')) as Role;
      return {
        Role: {
          Path: role.path,
          RoleName: role.name,
          RoleId: role.id,
          Arn: role.arn,
          CreateDate: role.createDate,
          AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(role.trustPolicy)),
          Description: role.description,
          MaxSessionDuration: role.maxSessionDuration,
          Tags: role.tags.length > 0 ? tagsXml(role.tags) : undefined,
          RoleLastUsed: {},
        },
      };
    },
  },
};

/** GetUser without a name describes the calling user; a role session has no user to describe. */
function selfUserName(ctx: Parameters<NonNullable<IamOperation['authorize']>>[0]): string {
  const identity = ctx.caller?.identity;
  if (identity?.type !== 'IAMUser')
    throw invalidInput('Must specify userName when calling with non-User credentials');
  return identity.userName;
}

function ownOrNamed(ctx: Parameters<NonNullable<IamOperation['authorize']>>[0]): string {
  const name = optionalString(ctx.input, 'UserName');
  return name === undefined ? (ctx.caller?.identity.arn ?? '*') : entityArn(ctx, 'user', name);
}
