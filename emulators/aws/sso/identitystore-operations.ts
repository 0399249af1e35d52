/**
 * Identity Store (JSON 1.1, target prefix `AWSIdentityStore.`, signing name `identitystore`):
 * GetUserId, DescribeUser, ListUsers, and CreateUser (served so that a permission matrix can
 * prove a broker is refused it). Authorised on the identity store ARN and the user resources the
 * Service Authorization Reference lists (`arn:aws:identitystore:::user/<id>`, or `user/*`).
 */
import type { CallContext, Operation } from '../operation.js';
import { callerAccount } from '../operation.js';
import type { IdentityCenter, StoreUser } from './center.js';
import {
  IDENTITY_STORE_ID,
  constraintError,
  invalid,
  notFound,
  optionalString,
  pageOf,
  requiredString,
  type JsonInput,
} from './input.js';

type Ctx = CallContext<JsonInput>;
type StoreOperation = Operation<JsonInput, unknown>;

const USER_ID =
  /([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}/;
const USER_NAME = /[\p{L}\p{M}\p{S}\p{N}\p{P}]+/u;
const ALL_USERS = 'arn:aws:identitystore:::user/*';

export function identityStoreOperations(center: IdentityCenter): Record<string, StoreOperation> {
  const storeIdOf = (ctx: Ctx): string =>
    requiredString(ctx.input, 'IdentityStoreId', { min: 1, max: 36, pattern: IDENTITY_STORE_ID });

  /** The identity store ARN names the management account, as IAM authorises it. */
  const storeArn = (ctx: Ctx): string =>
    `arn:aws:identitystore::${center.ownerAccountId}:identitystore/${storeIdOf(ctx)}`;

  const requireStore = (ctx: Ctx): void => {
    const id = storeIdOf(ctx);
    if (id !== center.identityStoreId || callerAccount(ctx) !== center.ownerAccountId)
      throw notFound(`IDENTITY_STORE not found.`, {
        ResourceType: 'IDENTITY_STORE',
        ResourceId: id,
      });
  };

  const on = (action: string, user: (ctx: Ctx) => string | undefined) => (ctx: Ctx) => {
    const requests = [{ action, resource: storeArn(ctx) }];
    const resource = user(ctx);
    if (resource) requests.push({ action, resource });
    return requests;
  };

  const view = (user: StoreUser) => ({
    IdentityStoreId: center.identityStoreId,
    UserId: user.UserId,
    UserName: user.UserName,
    DisplayName: user.DisplayName,
    Name: user.Name,
    Emails: user.Emails,
  });

  const userNotFound = (id: string) =>
    notFound('USER not found.', { ResourceType: 'USER', ResourceId: id });

  return {
    GetUserId: {
      readOnly: true,
      authorize: on('identitystore:GetUserId', () => ALL_USERS),
      run: (ctx) => {
        requireStore(ctx);
        const alternate = ctx.input.AlternateIdentifier as JsonInput | undefined;
        const unique = alternate?.UniqueAttribute as JsonInput | undefined;
        if (!alternate || (!unique && !alternate.ExternalId))
          throw constraintError('AlternateIdentifier', 'Member must not be null', undefined);
        if (!unique) throw invalid('ExternalId is not supported by this emulator.');
        const path = requiredString(unique, 'AttributePath', { min: 1, max: 255 });
        if (path.toLowerCase() !== 'username')
          throw invalid(`AttributePath ${path} is not a unique attribute of a user.`);
        const value = unique.AttributeValue;
        if (typeof value !== 'string') throw invalid('AttributeValue must be a string.');
        const user = center.userByName(value);
        if (!user) throw userNotFound(value);
        return { UserId: user.UserId, IdentityStoreId: center.identityStoreId };
      },
    },

    DescribeUser: {
      readOnly: true,
      authorize: on('identitystore:DescribeUser', (ctx) => {
        const id = requiredString(ctx.input, 'UserId', { min: 1, max: 47, pattern: USER_ID });
        return `arn:aws:identitystore:::user/${id}`;
      }),
      run: (ctx) => {
        requireStore(ctx);
        const id = requiredString(ctx.input, 'UserId', { min: 1, max: 47, pattern: USER_ID });
        const user = center.users.get(id);
        if (!user) throw userNotFound(id);
        return view(user);
      },
    },

    ListUsers: {
      readOnly: true,
      authorize: on('identitystore:ListUsers', () => ALL_USERS),
      run: (ctx) => {
        requireStore(ctx);
        const filters = (ctx.input.Filters ?? []) as JsonInput[];
        if (!Array.isArray(filters) || filters.length > 1)
          throw constraintError(
            'Filters',
            'Member must have length less than or equal to 1',
            filters.length,
          );
        let users = [...center.users.values()];
        for (const filter of filters) {
          const path = requiredString(filter, 'AttributePath', { min: 1, max: 255 });
          const value = requiredString(filter, 'AttributeValue', { min: 1, max: 1024 });
          if (path !== 'UserName') throw invalid(`Filtering on ${path} is not supported.`);
          users = users.filter((u) => u.UserName === value);
        }
        users.sort((a, b) => (a.UserId < b.UserId ? -1 : a.UserId > b.UserId ? 1 : 0));
        const page = pageOf(users, (u) => u.UserId, ctx.input);
        return { Users: page.items.map(view), NextToken: page.NextToken };
      },
    },

    CreateUser: {
      readOnly: false,
      authorize: on('identitystore:CreateUser', () => undefined),
      run: (ctx) => {
        requireStore(ctx);
        const userName = requiredString(ctx.input, 'UserName', {
          min: 1,
          max: 128,
          pattern: USER_NAME,
        });
        const displayName = optionalString(ctx.input, 'DisplayName', { min: 1, max: 1024 });
        // A taken user name is a ConflictException, as addUser reports it.
        const user = center.addUser({ userName, displayName });
        return { UserId: user.UserId, IdentityStoreId: center.identityStoreId };
      },
    },
  };
}
