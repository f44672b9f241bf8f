import { CognitoError } from '../../errors/cognito-error.ts';
import { OAuthError } from '../../errors/oauth-error.ts';
import { refreshableSession, rotates } from '../../services/refresh.ts';
import { rotateRefreshToken } from '../../services/rotation.ts';
import { preTokenGeneration } from '../../triggers/pre-token-generation.ts';
import { type Grant, tokenResponse } from './grant.ts';

/**
 * refresh_token (RFC 6749 section 6): the same family rules as the API's
 * REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken (services/refresh.ts), the
 * client already authenticated. Without rotation the answer has new access
 * and ID tokens and no refresh token, as Cognito's; with rotation, a new
 * refresh token replacing the one sent.
 */
export const refreshToken: Grant = {
  type: 'refresh_token',
  async exchange(form, client, ctx) {
    const token = form.get('refresh_token');
    if (!token) throw new OAuthError('invalid_request', 'refresh_token is required');
    const pool = await ctx.store.pools.pool(client.poolId);
    if (!pool) throw new OAuthError('invalid_client', 'Client authentication failed.');
    try {
      const { session, user, found } = await refreshableSession(ctx, pool, client, token, () => undefined);
      const minted = await ctx.tokens.mint(ctx.store, pool, client, user, session, preTokenGeneration(ctx, 'RefreshTokens'));
      if (!rotates(client)) return tokenResponse(minted);
      return tokenResponse({ ...minted, RefreshToken: await rotateRefreshToken(ctx, client, found) });
    } catch (err) {
      // The API's NotAuthorizedException for a refused refresh token is OAuth's invalid_grant.
      if (err instanceof CognitoError && err.statusCode < 500) throw new OAuthError('invalid_grant', err.message);
      throw err;
    }
  },
};
