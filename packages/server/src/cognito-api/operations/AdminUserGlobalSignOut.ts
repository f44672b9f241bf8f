import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Signs the user out everywhere: every token family (session) of the user is
// revoked, so their refresh tokens stop working and Cognate refuses their
// access tokens at once (TokenService.verifyAccess checks the family on every
// call). ID tokens and offline verifiers are unaffected until expiry, as with
// Cognito.
export default operatorOperation('AdminUserGlobalSignOut', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  await ctx.store.tokens.revokeUserSessions(user.sub, ctx.clock.now());
  return {};
});
