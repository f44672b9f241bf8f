import { Errors } from '../../errors/cognito-error.ts';
import { checkSecretHash } from '../../services/lookups.ts';
import { refreshableSession } from '../../services/refresh.ts';
import { preTokenGeneration } from '../../triggers/pre-token-generation.ts';
import type { AuthFlow } from '../flow.ts';

// REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new access and ID tokens in the same
// token family. The refresh token is looked up by its hash; a revoked or
// expired family, another client's token, or a disabled user is refused.
const refreshTokenAuth: AuthFlow = {
  names: ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'],
  endpoints: ['public', 'admin'],
  allow: 'ALLOW_REFRESH_TOKEN_AUTH',
  async start(params, { ctx, pool, client }) {
    const token = params['REFRESH_TOKEN'];
    if (!token) throw Errors.InvalidParameter('Missing required parameter REFRESH_TOKEN');
    if (client.settings.RefreshTokenRotation?.Feature === 'ENABLED') {
      throw Errors.NotAuthorized('Refresh token rotation is enabled for this client; use GetTokensFromRefreshToken.');
    }
    // A client with a secret proves it before anything about the token is revealed.
    if (client.secret !== null && !params['SECRET_HASH']) {
      throw Errors.NotAuthorized(`Client ${client.clientId} is configured with secret but SECRET_HASH was not received`);
    }
    const { session, user } = await refreshableSession(ctx, pool, client, token, (user) => {
      // Clients with a secret hash the user's name: the username or the sub (Cognito accepts either).
      if (client.secret === null) return;
      const name = params['USERNAME'] ?? user.username;
      if (name !== user.username && name !== user.sub) throw Errors.NotAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
      checkSecretHash(client, name, params['SECRET_HASH']);
    });
    return {
      ChallengeParameters: {},
      AuthenticationResult: await ctx.tokens.mint(ctx.store, pool, client, user, session, preTokenGeneration(ctx, 'RefreshTokens')),
    };
  },
};
export default refreshTokenAuth;
