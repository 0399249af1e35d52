import { callerAccount, type Operation } from '../operation.js';
import { limitExceeded, noSuchEntity, validationError } from '../protocol/errors.js';
import { optionalString, requiredString, type QueryParams } from '../protocol/query.js';
import type { XmlObject } from '../protocol/xml.js';
import type { Entity, EntityKind } from '../state.js';
import {
  attachmentsIn,
  byKey,
  entityArn,
  marker,
  maxItems,
  refuseProtected,
  requireEntity,
  requirePolicy,
  type IamContext,
} from './common.js';
import { page } from './paging.js';

type IamOperation = Operation<QueryParams, XmlObject | undefined>;

/** The default quota of managed policies attached to one user, role or group. */
export const MAX_ATTACHED = 10;

const KINDS: [EntityKind, 'User' | 'Role' | 'Group'][] = [
  ['user', 'User'],
  ['role', 'Role'],
  ['group', 'Group'],
];

const RESOURCE_TYPE = { user: 'AWS::IAM::User', role: 'AWS::IAM::Role', group: 'AWS::IAM::Group' };

function trail(ctx: IamContext, entity: Entity, policyArn: string): void {
  ctx.trail.resources = [
    { ResourceType: RESOURCE_TYPE[entity.kind], ResourceName: entity.name },
    { ResourceType: 'AWS::IAM::Policy', ResourceName: policyArn },
  ];
}

/** Attach and detach are authorised on the entity, with the policy in `iam:PolicyARN`. */
function onEntity(kind: EntityKind, Kind: string, verb: 'Attach' | 'Detach') {
  return (ctx: IamContext) => ({
    action: `iam:${verb}${Kind}Policy`,
    resource: entityArn(ctx, kind, requiredString(ctx.input, `${Kind}Name`)),
    context: { 'iam:PolicyARN': requiredString(ctx.input, 'PolicyArn') },
  });
}

function attach(kind: EntityKind, Kind: string): IamOperation {
  return {
    readOnly: false,
    authorize: onEntity(kind, Kind, 'Attach'),
    run: (ctx) => {
      const entity = requireEntity(ctx, kind, requiredString(ctx.input, `${Kind}Name`));
      refuseProtected(entity);
      const policy = requirePolicy(ctx, requiredString(ctx.input, 'PolicyArn'));
      trail(ctx, entity, policy.arn);
      // Attaching what is already attached succeeds and changes nothing, as in IAM.
      if (!entity.attached.includes(policy.arn)) {
        if (entity.attached.length >= MAX_ATTACHED)
          throw limitExceeded(`Cannot exceed quota for PoliciesPer${Kind}: ${MAX_ATTACHED}`);
        ctx.state.attach(entity, policy);
      }
      return undefined;
    },
  };
}

function detach(kind: EntityKind, Kind: string): IamOperation {
  return {
    readOnly: false,
    authorize: onEntity(kind, Kind, 'Detach'),
    run: (ctx) => {
      const entity = requireEntity(ctx, kind, requiredString(ctx.input, `${Kind}Name`));
      const arn = requiredString(ctx.input, 'PolicyArn');
      trail(ctx, entity, arn);
      refuseProtected(entity);
      const policy = requirePolicy(ctx, arn);
      if (!entity.attached.includes(policy.arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
      ctx.state.detach(entity, policy);
      return undefined;
    },
  };
}

function listAttached(kind: EntityKind, Kind: string): IamOperation {
  return {
    readOnly: true,
    authorize: (ctx) => ({
      action: `iam:ListAttached${Kind}Policies`,
      resource: entityArn(ctx, kind, requiredString(ctx.input, `${Kind}Name`)),
    }),
    run: (ctx) => {
      const entity = requireEntity(ctx, kind, requiredString(ctx.input, `${Kind}Name`));
      const prefix = optionalString(ctx.input, 'PathPrefix') ?? '/';
      const attached = entity.attached
        .map((arn) => ctx.state.policies.get(arn))
        .filter((p) => p !== undefined && p.path.startsWith(prefix))
        .map((p) => ({ PolicyName: p!.name, PolicyArn: p!.arn }))
        .sort(byKey((p) => p.PolicyName));
      const result = page(attached, (p) => p.PolicyName, marker(ctx.input), maxItems(ctx.input));
      return {
        AttachedPolicies: result.items,
        IsTruncated: result.IsTruncated,
        Marker: result.Marker,
      };
    },
  };
}

const FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];

const listEntitiesForPolicy: IamOperation = {
  readOnly: true,
  authorize: (ctx) => ({
    action: 'iam:ListEntitiesForPolicy',
    resource: requiredString(ctx.input, 'PolicyArn'),
  }),
  run: (ctx) => {
    const policy = requirePolicy(ctx, requiredString(ctx.input, 'PolicyArn'));
    const filter = optionalString(ctx.input, 'EntityFilter');
    if (filter !== undefined && !FILTERS.includes(filter))
      throw validationError(
        'entityFilter',
        `Member must satisfy enum value set: [${FILTERS.join(', ')}]`,
        filter,
      );
    const prefix = optionalString(ctx.input, 'PathPrefix') ?? '/';
    const entities = attachmentsIn(policy, callerAccount(ctx))
      .map((arn) => ctx.state.entityByArn(arn))
      .filter((e): e is Entity => e !== undefined && e.path.startsWith(prefix))
      .filter((e) => filter === undefined || filter.toLowerCase() === e.kind)
      .sort(byKey((e) => `${e.kind}/${e.name}`));
    const result = page(
      entities,
      (e) => `${e.kind}/${e.name}`,
      marker(ctx.input),
      maxItems(ctx.input),
    );
    const of = (kind: EntityKind, Kind: string) =>
      result.items
        .filter((e) => e.kind === kind)
        .map((e) => ({ [`${Kind}Name`]: e.name, [`${Kind}Id`]: e.id }));
    return {
      PolicyGroups: of('group', 'Group'),
      PolicyUsers: of('user', 'User'),
      PolicyRoles: of('role', 'Role'),
      IsTruncated: result.IsTruncated,
      Marker: result.Marker,
    };
  },
};

export const attachmentOperations: Record<string, IamOperation> = {
  ListEntitiesForPolicy: listEntitiesForPolicy,
};
for (const [kind, Kind] of KINDS) {
  attachmentOperations[`Attach${Kind}Policy`] = attach(kind, Kind);
  attachmentOperations[`Detach${Kind}Policy`] = detach(kind, Kind);
  attachmentOperations[`ListAttached${Kind}Policies`] = listAttached(kind, Kind);
}
