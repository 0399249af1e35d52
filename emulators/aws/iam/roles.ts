import type { Operation } from '../operation.js';
import {
  deleteConflict,
  limitExceeded,
  noSuchEntity,
  validationError,
} from '../protocol/errors.js';
import { requiredString, type QueryParams } from '../protocol/query.js';
import type { XmlObject } from '../protocol/xml.js';
import { entityArn, refuseProtected, requireEntity, type IamContext } from './common.js';
import { checkPolicyDocument } from './documents.js';

type IamOperation = Operation<QueryParams, XmlObject | undefined>;

const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
/** Inline policies of one role: 10,240 characters in all, whitespace not counted. */
const ROLE_POLICY_SIZE = 10_240;

const onRole = (action: string) => (ctx: IamContext) => ({
  action,
  resource: entityArn(ctx, 'role', requiredString(ctx.input, 'RoleName')),
});

function trail(ctx: IamContext, roleName: string): void {
  ctx.trail.resources = [{ ResourceType: 'AWS::IAM::Role', ResourceName: roleName }];
}

/** Inline role policies and role deletion, refused on roles a service protects. */
export const roleOperations: Record<string, IamOperation> = {
  PutRolePolicy: {
    readOnly: false,
    authorize: onRole('iam:PutRolePolicy'),
    run: (ctx) => {
      const role = requireEntity(ctx, 'role', requiredString(ctx.input, 'RoleName'));
      trail(ctx, role.name);
      refuseProtected(role);
      const name = requiredString(ctx.input, 'PolicyName');
      if (!POLICY_NAME.test(name))
        throw validationError(
          'policyName',
          'Member must satisfy regular expression pattern: [\\w+=,.@-]+',
          name,
        );
      const text = requiredString(ctx.input, 'PolicyDocument');
      const document = checkPolicyDocument(text);
      const others = [...role.inlinePolicies]
        .filter(([n]) => n !== name)
        .reduce((sum, [, d]) => sum + JSON.stringify(d).replace(/\s/g, '').length, 0);
      if (others + text.replace(/\s/g, '').length > ROLE_POLICY_SIZE)
        throw limitExceeded(
          `Maximum policy size of ${ROLE_POLICY_SIZE} bytes exceeded for role ${role.name}`,
        );
      role.inlinePolicies.set(name, document);
      return undefined;
    },
  },

  DeleteRolePolicy: {
    readOnly: false,
    authorize: onRole('iam:DeleteRolePolicy'),
    run: (ctx) => {
      const role = requireEntity(ctx, 'role', requiredString(ctx.input, 'RoleName'));
      trail(ctx, role.name);
      refuseProtected(role);
      const name = requiredString(ctx.input, 'PolicyName');
      if (!role.inlinePolicies.delete(name))
        throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
      return undefined;
    },
  },

  DeleteRole: {
    readOnly: false,
    authorize: onRole('iam:DeleteRole'),
    run: (ctx) => {
      const role = requireEntity(ctx, 'role', requiredString(ctx.input, 'RoleName'));
      trail(ctx, role.name);
      refuseProtected(role);
      if (role.attached.length > 0)
        throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if (role.inlinePolicies.size > 0)
        throw deleteConflict('Cannot delete entity, must delete policies first.');
      ctx.state.removeEntity(role);
      return undefined;
    },
  },
};
