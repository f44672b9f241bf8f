import { requirePool } from '../../services/lookups.ts';
import { describeResourceServer, requireResourceServer } from '../resource-servers.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('DescribeResourceServer', async (input, ctx) => {
  await requirePool(ctx.store, input.UserPoolId);
  return { ResourceServer: describeResourceServer(await requireResourceServer(ctx.store, input.UserPoolId, input.Identifier)) };
});
