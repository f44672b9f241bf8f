import type { Deps } from '../context.ts';
import type { User } from '../domain/user.ts';
import type { ClaimsHook } from '../services/tokens.ts';
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
  /** The implicit grant's tokens go through the pre token generation trigger (TokenGeneration_HostedAuth). */
  preToken: ClaimsHook | null,
): Promise<string> {
  const { redirectUri, responseType, state } = request;
  if (responseType === 'code') {
    const code = await issueCode(deps, request, user.sub, authTime);
    return redirectWith(redirectUri, 'code', { code, state });
  }
  const result = await deps.tokens.signIn(deps.store, request.pool, request.client, user, preToken, request.scopes, {
    nonce: request.nonce,
    authTime,
    oauth: true,
  });
  return redirectWith(redirectUri, 'token', {
    access_token: result.AccessToken,
    id_token: result.IdToken ?? null,
    token_type: 'Bearer',
    expires_in: String(result.ExpiresIn),
    state,
  });
}
