import { timingSafeEqual } from 'node:crypto';
import { allowsOAuthFlow } from '../../domain/oauth-client-settings.ts';
import { OAuthError } from '../../errors/oauth-error.ts';
import { hashCode, s256 } from '../codes.ts';
import { preTokenGeneration } from '../../triggers/pre-token-generation.ts';
import { type Grant, tokenResponse } from './grant.ts';

const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);
const sameText = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * authorization_code (RFC 6749 section 4.1.3), as a list of checks in order:
 * the code exists, is this client's, was issued for this redirect URI, has
 * not expired and was not used; the PKCE verifier matches its challenge
 * (RFC 7636 section 4.6); the user may still sign in. Then the code is taken
 * (once, even under concurrent exchanges) and a token family made with the
 * scopes, nonce and sign-in time it carried. A code presented again revokes
 * the family its first exchange made (RFC 6749 section 4.1.2).
 */
export const authorizationCode: Grant = {
  type: 'authorization_code',
  async exchange(form, client, ctx) {
    if (!allowsOAuthFlow(client, 'code')) throw new OAuthError('unauthorized_client', 'The client is not allowed the authorization code grant.');
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (!code) throw new OAuthError('invalid_request', 'code is required');
    if (!redirectUri) throw new OAuthError('invalid_request', 'redirect_uri is required');
    const hash = hashCode(code);
    const row = await ctx.store.oauthGrants.code(hash);
    if (!row || row.client_id !== client.clientId) throw invalidGrant('The code is not valid.');
    const now = ctx.clock.now();
    if (row.consumed_at !== null) {
      if (row.origin_jti) await ctx.store.tokens.revokeSession(row.origin_jti, now);
      throw invalidGrant('The code was used already; the tokens it gave are revoked.');
    }
    if (Number(row.expires_at) <= now) throw invalidGrant('The code has expired.');
    if (row.redirect_uri !== redirectUri) throw invalidGrant('redirect_uri does not match the authorization request.');
    if (row.code_challenge !== null) {
      const verifier = form.get('code_verifier');
      // RFC 7636 section 4.1: 43 to 128 unreserved characters.
      if (!verifier || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) throw invalidGrant('code_verifier is missing or malformed.');
      if (!sameText(s256(verifier), row.code_challenge)) throw invalidGrant('code_verifier does not match the code challenge.');
    }
    const pool = await ctx.store.pools.pool(row.pool_id);
    const user = await ctx.store.users.bySub(row.sub);
    if (!pool || !user || user.poolId !== pool.id) throw invalidGrant('The code is not valid.');
    if (!user.enabled || user.status === 'ARCHIVED' || user.status === 'COMPROMISED' || user.status === 'RESET_REQUIRED')
      throw invalidGrant('User is disabled.');
    const originJti = ctx.ids.uuid();
    // The pre token generation function is asked before the transaction: a slow one must not hold the database.
    const prepared = await ctx.tokens.prepareSignIn(ctx.store, pool, client, user, preTokenGeneration(ctx, 'HostedAuth'), row.scope.split(' '), {
      nonce: row.nonce,
      authTime: Number(row.auth_time),
      originJti,
      oauth: true,
    });
    const result = await ctx.store.transaction(async (tx) => {
      if (!(await tx.oauthGrants.consumeCode(hash, now, originJti))) return null;
      return ctx.tokens.completeSignIn(tx, prepared);
    });
    if (!result) {
      // Another exchange took the code first (a concurrent replay): what it issued is revoked, as for any replay.
      const taken = await ctx.store.oauthGrants.code(hash);
      if (taken?.origin_jti) await ctx.store.tokens.revokeSession(taken.origin_jti, ctx.clock.now());
      throw invalidGrant('The code was used already; the tokens it gave are revoked.');
    }
    return tokenResponse(result);
  },
};
