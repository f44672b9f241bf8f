import type { GetTokensFromRefreshTokenRequest } from '@aws-sdk/client-cognito-identity-provider';
import { safeEqual } from '../../crypto/master-key.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { refreshableSession } from '../../services/refresh.ts';
import { requireClientAndPool } from '../lookups.ts';
import { publicOperation } from '../operation.ts';
import type { Wire } from '../wire.ts';

// New access and ID tokens from a refresh token: what Amplify v6.21+ calls to
// refresh a session. A client with a secret sends the secret itself.
// Refresh-token rotation (a new refresh token on each call) is not built yet:
// a client that enables it is refused rather than answered without rotation.
export default publicOperation<Wire<GetTokensFromRefreshTokenRequest>>('GetTokensFromRefreshToken', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId!);
  if (client.settings.RefreshTokenRotation?.Feature === 'ENABLED') {
    throw Errors.UnsupportedOperation('Refresh token rotation is not supported by this Cognate version.');
  }
  const { session, user } = await refreshableSession(ctx, pool, client, input.RefreshToken!, () => {
    if (client.secret !== null && !(input.ClientSecret && safeEqual(input.ClientSecret, client.secret))) {
      throw Errors.NotAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
    }
  });
  return { AuthenticationResult: await ctx.tokens.mint(ctx.store, pool, client, user, session) };
});
