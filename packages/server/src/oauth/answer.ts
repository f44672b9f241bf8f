import type { Deps } from '../context.ts';
import type { User } from '../domain/user.ts';
import type { ClaimsHook, PreparedSignIn } from '../services/tokens.ts';
import { type AuthorizeRequest, redirectWith } from './authorize-request.ts';
import { issueCode } from './codes.ts';

/**
 * Where the browser goes once the user is signed in: the client's redirect
 * URI with a code (response_type=code) or, for the implicit grant, with the
 * tokens in the fragment: an access token, an ID token with `openid`, never
 * a refresh token (developer guide, "Authorize endpoint").
 */
export async function authorizationAnswer(
  deps: Pick<Deps, 'store' | 'ids' | 'clock' | 'tokens'>,
  request: AuthorizeRequest,
  user: User,
  authTime: number,
  /** The implicit grant's tokens, from implicitTokens; null for the code flow. */
  implicit: PreparedSignIn | null,
): Promise<string> {
  const { redirectUri, responseType, state } = request;
  if (responseType === 'code') {
    const code = await issueCode(deps, request, user.sub, authTime);
    return redirectWith(redirectUri, 'code', { code, state });
  }
  if (!implicit) throw new Error('the implicit grant answers with the tokens implicitTokens prepared');
  const result = await deps.tokens.completeSignIn(deps.store, implicit);
  return redirectWith(redirectUri, 'token', {
    access_token: result.AccessToken,
    id_token: result.IdToken ?? null,
    token_type: 'Bearer',
    expires_in: String(result.ExpiresIn),
    state,
  });
}

/**
 * The implicit grant's tokens, prepared before any transaction: the pre
 * token generation trigger (TokenGeneration_HostedAuth) is asked here, so a
 * function never runs while the database is held. Null for the code flow,
 * whose tokens come at the code's exchange.
 */
export async function implicitTokens(
  deps: Pick<Deps, 'store' | 'tokens'>,
  request: AuthorizeRequest,
  user: User,
  authTime: number,
  preToken: ClaimsHook | null,
): Promise<PreparedSignIn | null> {
  if (request.responseType === 'code') return null;
  return deps.tokens.prepareSignIn(deps.store, request.pool, request.client, user, preToken, request.scopes, { nonce: request.nonce, authTime, oauth: true });
}
