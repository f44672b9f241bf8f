import { describeClient } from '../describe.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// A client of another pool is reported as absent: the pair (pool, client) names it.
export default operatorOperation('DescribeUserPoolClient', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const client = await requireClient(ctx.store, input.ClientId, pool.id);
  return { UserPoolClient: describeClient(client) };
});
