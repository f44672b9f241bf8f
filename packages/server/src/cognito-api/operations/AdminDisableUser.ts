import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Disabling also revokes every session of the user (AWS: AdminDisableUser
// "deactivates a user and revokes all access tokens"), so their access and
// refresh tokens stop working at once, not only at expiry. Both in one transaction.
export default operatorOperation('AdminDisableUser', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.users.update(user.sub, { enabled: false }, now);
    await tx.tokens.revokeUserSessions(user.sub, now);
  });
  return {};
});
