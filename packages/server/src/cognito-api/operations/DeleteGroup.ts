import type { DeleteGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import { requireGroup } from '../groups.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

// One DELETE: the group's memberships go with it (ON DELETE CASCADE), so its
// former members' next tokens no longer name it.
export default operatorOperation<Wire<DeleteGroupRequest>>('DeleteGroup', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  const group = await requireGroup(ctx.store, pool.id, input.GroupName!);
  await ctx.store.groups.delete(pool.id, group.name);
  return {};
});
