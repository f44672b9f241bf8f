import { requirePool, requireUser } from '../../services/lookups.ts';
import { revokeSession } from '../../services/user-sessions.ts';
import { operatorOperation } from '../operation.ts';

// Revokes one token family of the named user (services/user-sessions.ts): its
// refresh tokens stop working and its access tokens are refused at once; the
// user's other sessions keep working. The session must be the user's.
export default operatorOperation('AdminRevokeUserSession', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  await revokeSession(ctx.store, user.sub, input.SessionId, ctx.clock.now());
  return {};
});
