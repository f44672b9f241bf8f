import type { ListUsersRequest, UserType } from '@aws-sdk/client-cognito-identity-provider';
import { parseUserFilter } from '../../domain/list-users-filter.ts';
import { isCaseSensitive } from '../../domain/pool-settings.ts';
import { attributeList, type User } from '../../domain/user.ts';
import { Errors } from '../../errors/cognito-error.ts';
import type { UserPageCursor } from '../../store/users.ts';
import { requirePool } from '../lookups.ts';
import { decodePageToken, encodePageToken } from '../pagination.ts';
import { operatorOperation } from '../operation.ts';
import { epochSeconds, type Wire } from '../wire.ts';

// ListUsers: one page of a pool's users in creation order, the Filter
// evaluated in the database (store.users.list). The PaginationToken is sealed
// and bound to this pool, so it can be neither edited nor used on another pool.
export default operatorOperation<Wire<ListUsersRequest>>('ListUsers', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  // The model allows 0..60; Cognito refuses 0 as a page size (it answers
  // that the page size must be at least 1). No Limit means the maximum, 60.
  const limit = input.Limit ?? 60;
  if (limit < 1) throw Errors.InvalidParameter(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  const filter = parseUserFilter(input.Filter);
  const scope = `ListUsers:${pool.id}`;
  const after = decodePageToken<UserPageCursor>(ctx.master, scope, input.PaginationToken);

  const rows = await ctx.store.users.list(pool.id, filter, limit + 1, after, { caseSensitiveUsernames: isCaseSensitive(pool) });
  const page = rows.slice(0, limit);
  const wanted = input.AttributesToGet;
  // Cognito refuses the whole page when a listed user lacks a requested
  // attribute (ListUsers reference, AttributesToGet); an empty list returns
  // users without attributes.
  if (wanted?.some((name) => page.some((u) => u.attributes[name] === undefined))) {
    throw Errors.InvalidParameter('One or more requested attributes do not exist.');
  }
  const Users = page.map((u) => userType(u, wanted ? (name) => wanted.includes(name) : undefined));
  const last = page.at(-1);
  const next = rows.length > limit && last ? encodePageToken(ctx.master, scope, { createdAt: last.createdAt, sub: last.sub } satisfies UserPageCursor) : undefined;
  return { Users, ...(next ? { PaginationToken: next } : {}) };
});

function userType(user: User, allowed: ((name: string) => boolean) | undefined): Wire<UserType> {
  return {
    Username: user.username,
    Attributes: attributeList(user, allowed),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}
