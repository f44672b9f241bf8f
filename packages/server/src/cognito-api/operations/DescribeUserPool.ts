import { describePool } from '../describe.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Domain and CustomDomain name the pool's prefix and custom domains when it
// has them (UserPoolType in the API reference).
export default operatorOperation('DescribeUserPool', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const estimatedUsers = await ctx.store.users.countInPool(pool.id);
  const domains = await ctx.store.domains.forPool(pool.id);
  const prefix = domains.find((d) => !d.custom)?.domain;
  const custom = domains.find((d) => d.custom)?.domain;
  return {
    UserPool: {
      ...describePool(pool, { accountId: ctx.config.accountId, estimatedUsers }),
      ...(prefix ? { Domain: prefix } : {}),
      ...(custom ? { CustomDomain: custom } : {}),
    },
  };
});
