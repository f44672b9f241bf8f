import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// One DELETE: the user's attributes, codes and sessions go with it through
// the schema's ON DELETE CASCADE, so nothing of the user remains.
export default operatorOperation('AdminDeleteUser', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  await ctx.store.users.delete(user.sub);
  return {};
});
