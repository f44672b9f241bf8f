import { MAX_GROUPS_PER_USER } from '../../domain/group.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { requireGroup } from '../groups.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Adding a member twice succeeds and changes nothing. A user belongs to at
// most 100 groups (Cognito's non-adjustable quota); the check and the insert
// share one transaction so concurrent adds cannot pass it together. The
// user's tokens name the group from their next issue (sign-in or refresh).
export default operatorOperation('AdminAddUserToGroup', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  const group = await requireGroup(ctx.store, pool.id, input.GroupName);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    if (await tx.groups.isMember(pool.id, group.name, user.sub)) return;
    if ((await tx.groups.forUser(user.sub)).length >= MAX_GROUPS_PER_USER) {
      throw Errors.LimitExceeded(`A user can be a member of at most ${MAX_GROUPS_PER_USER} groups.`);
    }
    await tx.groups.addMember(pool.id, group.name, user.sub, now);
  });
  return {};
});
