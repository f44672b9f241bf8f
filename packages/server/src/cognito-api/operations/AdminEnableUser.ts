import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Re-enabling lets the user sign in again; sessions revoked by
// AdminDisableUser stay revoked.
export default operatorOperation('AdminEnableUser', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  await ctx.store.users.update(user.sub, { enabled: true }, ctx.clock.now());
  return {};
});
