import { requirePool } from '../../services/lookups.ts';
import { requireResourceServer } from '../resource-servers.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('DeleteResourceServer', async (input, ctx) => {
  await ctx.store.transaction(async (tx) => {
    await requirePool(tx, input.UserPoolId);
    await requireResourceServer(tx, input.UserPoolId, input.Identifier);
    await tx.resourceServers.delete(input.UserPoolId, input.Identifier);
  });
  return {};
});
