import { describeGroup, requireGroup } from '../groups.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('GetGroup', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  return { Group: describeGroup(await requireGroup(ctx.store, pool.id, input.GroupName)) };
});
