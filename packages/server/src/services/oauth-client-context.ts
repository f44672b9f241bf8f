import type { OAuthContext } from '../domain/oauth-client-settings.ts';
import type { Store } from '../store/store.ts';

/** What checkOAuthSettings needs from the store for a client of this pool. */
export async function oauthContext(store: Store, poolId: string, hasSecret: boolean): Promise<OAuthContext> {
  // Identity providers are not stored yet: only the built-in COGNITO exists.
  return { poolId, hasSecret, resourceServers: await store.resourceServers.list(poolId), identityProviders: [] };
}
