import { Errors } from '../../errors/cognito-error.ts';
import { refreshableSession, rotates } from '../../services/refresh.ts';
import { rotateRefreshToken } from '../../services/rotation.ts';
import { clientSecretMatches, requireClientAndPool } from '../../services/lookups.ts';
import { preTokenGeneration } from '../../triggers/pre-token-generation.ts';
import { publicOperation } from '../operation.ts';

// New access and ID tokens from a refresh token: what Amplify v6.21+ calls to
// refresh a session. A client with a secret sends the secret itself. With
// RefreshTokenRotation ENABLED the answer also carries a new refresh token
// that replaces the one sent (services/rotation.ts: grace period, reuse).
export default publicOperation('GetTokensFromRefreshToken', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId);
  const { session, user, found } = await refreshableSession(ctx, pool, client, input.RefreshToken, () => {
    if (client.secret !== null && !clientSecretMatches(client, input.ClientSecret)) {
      throw Errors.NotAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
    }
  });
  // GetTokensFromRefreshToken's ClientMetadata reaches the pre token generation trigger (API reference).
  const preToken = preTokenGeneration(ctx, 'RefreshTokens', input.ClientMetadata);
  if (!rotates(client)) return { AuthenticationResult: await ctx.tokens.mint(ctx.store, pool, client, user, session, preToken) };
  const RefreshToken = await rotateRefreshToken(ctx, client, found);
  return { AuthenticationResult: { ...(await ctx.tokens.mint(ctx.store, pool, client, user, session, preToken)), RefreshToken } };
});
