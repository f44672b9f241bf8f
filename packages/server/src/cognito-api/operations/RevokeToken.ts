import { decodeProtectedHeader } from 'jose';
import { Errors } from '../../errors/cognito-error.ts';
import { findRefreshToken } from '../../services/refresh.ts';
import { clientSecretMatches } from '../../services/lookups.ts';
import { publicOperation } from '../operation.ts';

const isJwt = (token: string): boolean => {
  try {
    decodeProtectedHeader(token);
    return token.split('.').length === 3;
  } catch {
    return false;
  }
};

// Revokes one token family: the refresh token given and every access and ID
// token minted from it; the user's other sign-ins keep working. Errors follow
// the API model, which declares UnauthorizedException (not
// NotAuthorizedException) for a client that fails to authenticate, matching
// the 401 invalid_client of Cognito's /oauth2/revoke. As there, and as RFC
// 7009 section 2.2 says, a token that is unknown, expired or already revoked
// is answered with success: the caller's aim is already met.
export default publicOperation('RevokeToken', async (input, ctx) => {
  const client = await ctx.store.pools.client(input.ClientId);
  const unauthorized = () => Errors.UnauthorizedException('Client authentication failed.');
  if (!client) throw unauthorized();
  if (client.secret !== null && !clientSecretMatches(client, input.ClientSecret)) throw unauthorized();
  if (client.settings.EnableTokenRevocation === false) throw Errors.UnsupportedOperation('Token revocation is not enabled for this client.');
  // Access and ID tokens are JWTs; Cognate's refresh tokens are opaque.
  const token = input.Token;
  if (isJwt(token)) throw Errors.UnsupportedTokenType('Only refresh tokens can be revoked.');

  // Any token of the family revokes it, including one issued by rotation.
  const session = (await findRefreshToken(ctx.store, token))?.session;
  if (!session) return {};
  // RFC 7009 section 2.1: a client may revoke only tokens issued to it.
  if (session.client_id !== client.clientId) throw Errors.UnauthorizedException('The token was not issued to this client.');
  await ctx.store.tokens.revokeSession(session.origin_jti, ctx.clock.now());
  return {};
});
