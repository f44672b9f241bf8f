import type { AppClient } from '../domain/client-settings.ts';
import { allowsOAuthFlow, knownScopes } from '../domain/oauth-client-settings.ts';
import { grantedScopes } from '../domain/oauth-scopes.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { Store } from '../store/store.ts';
import type { Params } from './params.ts';

/** An authorization request that passed every check (GET /oauth2/authorize, and the pages it leads to). */
export interface AuthorizeRequest {
  pool: Pool;
  client: AppClient;
  responseType: 'code' | 'token';
  redirectUri: string;
  state: string | null;
  scopes: string[];
  nonce: string | null;
  /** PKCE (RFC 7636), S256 only. */
  codeChallenge: string | null;
  /** The parameters as received, to carry from page to page. */
  params: Params;
}

/**
 * Why a request was refused. `page`: the client or its redirect URI cannot
 * be trusted, so the browser is shown an error and never sent anywhere (RFC
 * 6749 section 4.1.2.1). `redirect`: the client's registered URI hears the
 * error, with the request's state.
 */
export type AuthorizeRefusal = { kind: 'page'; message: 'unknownClient' | 'badRedirect' } | { kind: 'redirect'; to: string };

// RFC 7636 section 4.2: BASE64URL(SHA256(verifier)) is 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * A URI as a Location header can carry it: characters beyond printable
 * ASCII (a registered URI may hold letters of any script, as Cognito's
 * model allows) percent-encoded as UTF-8 (RFC 3987 section 3.1).
 */
export const locationOf = (uri: string): string => uri.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));

/** The registered redirect URI with OAuth's answer added: in the query for a code, in the fragment for tokens (RFC 6749 sections 4.1.2, 4.2.2). */
export function redirectWith(redirectUri: string, responseType: 'code' | 'token', values: Record<string, string | null>): string {
  const pairs = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== null) pairs.set(k, v);
  if (responseType === 'token') return locationOf(`${redirectUri.split('#')[0]}#${pairs.toString()}`);
  return locationOf(`${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${pairs.toString()}`);
}

/**
 * Checks an authorization request in Cognito's order (developer guide,
 * "Authorize endpoint"): the client and its exact redirect URI first, then
 * the response type, the flows the client may use, PKCE and the scopes.
 */
export async function checkAuthorizeRequest(
  store: Store,
  params: Params,
): Promise<{ ok: true; request: AuthorizeRequest } | { ok: false; refusal: AuthorizeRefusal }> {
  const page = (message: 'unknownClient' | 'badRedirect') => ({ ok: false as const, refusal: { kind: 'page' as const, message } });
  const clientId = params.get('client_id');
  const client = clientId ? await store.pools.client(clientId) : null;
  const pool = client ? await store.pools.pool(client.poolId) : null;
  if (!client || !pool) return page('unknownClient');
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri || !(client.settings.CallbackURLs ?? []).includes(redirectUri)) return page('badRedirect');

  const state = params.get('state') ?? null;
  const type = params.get('response_type');
  const answerAs = type === 'token' ? 'token' : 'code';
  const refuse = (error: string, description: string) => ({
    ok: false as const,
    refusal: { kind: 'redirect' as const, to: redirectWith(redirectUri, answerAs, { error, error_description: description, state }) },
  });
  if (!type) return refuse('invalid_request', 'response_type is required');
  if (type !== 'code' && type !== 'token') return refuse('unsupported_response_type', 'response_type must be code or token');
  if (!allowsOAuthFlow(client, type === 'code' ? 'code' : 'implicit')) return refuse('unauthorized_client', 'The client is not allowed this flow');

  // SupportedIdentityProviders without COGNITO: the pool's own users may not sign in through this client (federation only).
  if (!(client.settings.SupportedIdentityProviders ?? []).includes('COGNITO'))
    return refuse('unauthorized_client', 'The client does not allow sign-in with the user pool directory (COGNITO)');
  const method = params.get('code_challenge_method');
  const challenge = params.get('code_challenge') ?? null;
  if (method !== undefined && method !== 'S256') return refuse('invalid_request', 'code_challenge_method must be S256');
  if (challenge !== null && method === undefined) return refuse('invalid_request', 'code_challenge_method is required with code_challenge');
  if (method !== undefined && (challenge === null || !S256_CHALLENGE.test(challenge)))
    return refuse('invalid_request', 'code_challenge is missing or malformed');

  const scopes = grantedScopes(client, params.get('scope'), knownScopes(await store.resourceServers.list(pool.id)));
  if (scopes.length === 0) return refuse('invalid_scope', 'None of the requested scopes is allowed for this client');
  return {
    ok: true,
    request: { pool, client, responseType: type, redirectUri, state, scopes, nonce: params.get('nonce') ?? null, codeChallenge: challenge, params },
  };
}
