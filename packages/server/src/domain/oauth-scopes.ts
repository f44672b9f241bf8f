import type { AppClient } from './client-settings.ts';
import { allowedScopes } from './oauth-client-settings.ts';
import { RESERVED_SCOPES } from './oauth-config.ts';

// Which of the scopes a request asks for it is granted: Cognito's reserved
// scopes and `<resource-server>/<scope>` custom ones (developer guide,
// "Scopes, M2M, and APIs with resource servers"). `known`: the custom scopes
// the pool's resource servers define now; a client may still list a scope
// whose resource server was deleted or changed since, and it is not granted.

/** Scopes that mean nothing without `openid` (they widen the ID token and userInfo). */
const NEED_OPENID = new Set(['email', 'phone', 'profile']);

const RESERVED: ReadonlySet<string> = new Set(RESERVED_SCOPES);
export const isCustomScope = (scope: string): boolean => !RESERVED.has(scope);
const grantable = (known: ReadonlySet<string>) => (scope: string) => RESERVED.has(scope) || known.has(scope);

const split = (scope: string | undefined): string[] => (scope ?? '').split(' ').filter((s) => s !== '');

/**
 * The scopes an authorization request is granted: those asked for that the
 * client may have (others are dropped silently, as Cognito does), or all the
 * client's scopes when none is asked for; `email`, `phone` and `profile`
 * only beside `openid`. Empty means invalid_scope.
 */
export function grantedScopes(client: AppClient, requested: string | undefined, known: ReadonlySet<string>): string[] {
  const allowed = allowedScopes(client).filter(grantable(known));
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
export function clientCredentialScopes(client: AppClient, requested: string | undefined, known: ReadonlySet<string>): string[] | null {
  const custom = allowedScopes(client).filter((s) => isCustomScope(s) && known.has(s));
  const asked = split(requested);
  if (asked.length === 0) return custom.length ? custom : null;
  return asked.every((s) => custom.includes(s)) ? [...new Set(asked)] : null;
}
