import { describePool } from '../describe.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('DescribeUserPool', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const estimatedUsers = await ctx.store.users.countInPool(pool.id);
  return { UserPool: describePool(pool, { accountId: ctx.config.accountId, estimatedUsers }) };
});
