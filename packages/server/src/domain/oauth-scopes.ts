import type { AppClient } from './client-settings.ts';

// Cognito's OAuth scopes: the reserved ones and `<resource-server>/<scope>`
// custom ones (developer guide, "Scopes, M2M, and APIs with resource servers").

/** The scopes Cognito defines itself. */
export const RESERVED_SCOPES: readonly string[] = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];
/** Scopes that mean nothing without `openid` (they widen the ID token and userInfo). */
const NEED_OPENID = new Set(['email', 'phone', 'profile']);

export const isCustomScope = (scope: string): boolean => !RESERVED_SCOPES.includes(scope);

export type OAuthFlow = 'code' | 'implicit' | 'client_credentials';

/** Whether the client may use an OAuth flow: AllowedOAuthFlowsUserPoolClient on, and the flow listed. */
export function allowsOAuthFlow(client: AppClient, flow: OAuthFlow): boolean {
  return client.settings.AllowedOAuthFlowsUserPoolClient === true && (client.settings.AllowedOAuthFlows ?? []).includes(flow);
}

/** The scopes the client may be granted. */
export const allowedScopes = (client: AppClient): string[] => [...(client.settings.AllowedOAuthScopes ?? [])];

const split = (scope: string | undefined): string[] => (scope ?? '').split(' ').filter((s) => s !== '');

/**
 * The scopes an authorization request is granted: those asked for that the
 * client may have (others are dropped silently, as Cognito does), or all the
 * client's scopes when none is asked for; `email`, `phone` and `profile`
 * only beside `openid`. Empty means invalid_scope.
 */
export function grantedScopes(client: AppClient, requested: string | undefined): string[] {
  const allowed = allowedScopes(client);
  const asked = split(requested);
  const granted = asked.length === 0 ? allowed : allowed.filter((s) => asked.includes(s));
  const openid = granted.includes('openid');
  return granted.filter((s) => openid || !NEED_OPENID.has(s));
}

/**
 * The client-credentials grant's scopes: custom scopes only; none asked for
 * means all the client's custom scopes. A scope asked for that the client may
 * not have makes the whole request invalid_scope (null here).
 */
export function clientCredentialScopes(client: AppClient, requested: string | undefined): string[] | null {
  const custom = allowedScopes(client).filter(isCustomScope);
  const asked = split(requested);
  if (asked.length === 0) return custom.length ? custom : null;
  return asked.every((s) => custom.includes(s)) ? [...new Set(asked)] : null;
}
