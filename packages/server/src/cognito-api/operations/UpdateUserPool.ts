import { updatedPoolSettings } from '../../domain/pool-settings.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Replaces the pool's updatable settings, resetting what the request leaves
// out to Cognito's defaults (see updatedPoolSettings). Read and written in one
// transaction so a concurrent TagResource or AddCustomAttributes is not lost.
// This node's read cache is emptied by the write; other nodes see the new
// settings within READ_CACHE_TTL_MS (store/read-cache.ts).
export default operatorOperation('UpdateUserPool', async (input, ctx) => {
  await ctx.store.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const settings = updatedPoolSettings(pool, input);
    await tx.pools.updatePool({ ...pool, name: input.PoolName ?? pool.name, settings, updatedAt: ctx.clock.now() });
  });
  return {};
});
