import { requireGroup } from '../groups.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// One DELETE: the group's memberships go with it (ON DELETE CASCADE), so its
// former members' next tokens no longer name it.
export default operatorOperation('DeleteGroup', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const group = await requireGroup(ctx.store, pool.id, input.GroupName);
  await ctx.store.groups.delete(pool.id, group.name);
  return {};
});
