import { requireClient, requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Deletes the client with its secrets, its token families (so its refresh
// tokens stop working, and its access tokens, which are checked against the
// client and family on every call) and its open challenge sessions.
export default operatorOperation('DeleteUserPoolClient', async (input, ctx) => {
  await ctx.store.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const client = await requireClient(tx, input.ClientId, pool.id);
    await tx.pools.deleteClient(client.clientId);
  });
  return {};
});
