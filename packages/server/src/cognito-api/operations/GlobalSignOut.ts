import { accessTokenOperation } from '../operation.ts';

// Signs the user out everywhere: every token family of the user is revoked,
// so Cognate refuses their access tokens ("Access Token has been revoked")
// and refresh tokens ("Refresh Token has been revoked") from now on. Offline
// verifiers keep accepting access and ID tokens until they expire.
export default accessTokenOperation('GlobalSignOut', async (_input, ctx) => {
  await ctx.store.tokens.revokeUserSessions(ctx.caller.user.sub, ctx.clock.now());
  return {};
});
