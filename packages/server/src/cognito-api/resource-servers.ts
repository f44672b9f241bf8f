import type { ResourceServerType } from '@aws-sdk/client-cognito-identity-provider';
import type { ResourceServer, ResourceServerScope } from '../domain/oauth-config.ts';
import type { Wire } from '../domain/wire.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';

export const describeResourceServer = (s: ResourceServer): Wire<ResourceServerType> => ({
  UserPoolId: s.poolId,
  Identifier: s.identifier,
  Name: s.name,
  Scopes: s.scopes,
});

/**
 * The scopes as stored: names, descriptions and the limit of 100 are the
 * model's to check; a name given twice would make `<identifier>/<name>`
 * ambiguous and is refused (wording ours; Cognito's unconfirmed).
 */
export function scopesOf(given: { ScopeName?: string | undefined; ScopeDescription?: string | undefined }[] | undefined): ResourceServerScope[] {
  // Both members are required by the model, so the validator has refused a request without them.
  const scopes = (given ?? []).map((s) => ({ ScopeName: s.ScopeName ?? '', ScopeDescription: s.ScopeDescription ?? '' }));
  const seen = new Set<string>();
  for (const s of scopes) {
    if (seen.has(s.ScopeName)) throw Errors.InvalidParameter(`Duplicate scope name: ${s.ScopeName}`);
    seen.add(s.ScopeName);
  }
  return scopes;
}

/** The pool's resource server, or ResourceNotFoundException (wording ours; Cognito's unconfirmed). */
export async function requireResourceServer(store: Store, poolId: string, identifier: string): Promise<ResourceServer> {
  const server = await store.resourceServers.get(poolId, identifier);
  if (!server) throw Errors.ResourceNotFound(`Resource server ${identifier} does not exist.`);
  return server;
}
