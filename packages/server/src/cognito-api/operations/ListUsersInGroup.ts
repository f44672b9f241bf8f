import type { User } from '../../domain/user.ts';
import type { UserPageCursor } from '../../store/users.ts';
import { pageLimit, requireGroup } from '../groups.ts';
import { requirePool } from '../../services/lookups.ts';
import { describeUser } from '../describe.ts';
import { decodePageToken, encodePageToken } from '../../services/pagination.ts';
import { operatorOperation } from '../operation.ts';

// A group's members as UserType, in ListUsers' order (creation time, then
// sub). The NextToken is sealed and bound to this pool and group.
export default operatorOperation('ListUsersInGroup', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const group = await requireGroup(ctx.store, pool.id, input.GroupName);
  const limit = pageLimit(input.Limit);
  const scope = `ListUsersInGroup:${pool.id}:${group.name}`;
  const after = decodePageToken<UserPageCursor>(ctx.master, scope, input.NextToken);
  const subs = await ctx.store.groups.memberSubs(pool.id, group.name, limit + 1, after);
  const users = (await Promise.all(subs.slice(0, limit).map((sub) => ctx.store.users.bySub(sub)))).filter((u): u is User => u !== null);
  const last = users.at(-1);
  const next =
    subs.length > limit && last ? encodePageToken(ctx.master, scope, { createdAt: last.createdAt, sub: last.sub } satisfies UserPageCursor) : undefined;
  return { Users: users.map((u) => describeUser(u)), ...(next ? { NextToken: next } : {}) };
});
