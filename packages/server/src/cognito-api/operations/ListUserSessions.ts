import { describeSessions } from '../../services/user-sessions.ts';
import { accessTokenOperation } from '../operation.ts';

// The caller's live token families across every app client of the pool
// (services/user-sessions.ts); IsCurrentSession marks the family of the
// access token given; up to 125 a page, as in Cognito.
export default accessTokenOperation('ListUserSessions', async (input, ctx) => {
  const { pool, user } = ctx.caller;
  return await describeSessions(ctx, `ListUserSessions:${pool.id}:${user.sub}`, user.sub, input.NextToken, ctx.caller.claims.origin_jti);
});
