import { requirePool, requireUser } from '../../services/lookups.ts';
import { describeSessions } from '../../services/user-sessions.ts';
import { operatorOperation } from '../operation.ts';

// The user's live token families (services/user-sessions.ts), up to 125 a
// page as in Cognito; IsCurrentSession is always false here.
export default operatorOperation('AdminListUserSessions', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  return await describeSessions(ctx, `AdminListUserSessions:${pool.id}:${user.sub}`, user.sub, input.NextToken);
});
