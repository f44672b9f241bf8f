import { revokeSession } from '../../services/user-sessions.ts';
import { accessTokenOperation } from '../operation.ts';

// Revokes one of the caller's own token families (services/user-sessions.ts),
// the calling one included: its refresh tokens stop working and its access
// tokens are refused at once.
export default accessTokenOperation('RevokeUserSession', async (input, ctx) => {
  await revokeSession(ctx.store, ctx.caller.user.sub, input.SessionId, ctx.clock.now());
  return {};
});
