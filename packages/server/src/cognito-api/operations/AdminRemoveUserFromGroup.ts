import { requireGroup } from '../groups.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Removing a user who is not a member succeeds and changes nothing. Tokens
// already issued keep their claims until they expire; the next issue (sign-in
// or refresh) no longer names the group.
export default operatorOperation('AdminRemoveUserFromGroup', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  const group = await requireGroup(ctx.store, pool.id, input.GroupName);
  await ctx.store.groups.removeMember(pool.id, group.name, user.sub);
  return {};
});
