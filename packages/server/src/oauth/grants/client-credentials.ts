import { allowsOAuthFlow, knownScopes } from '../../domain/oauth-client-settings.ts';
import { clientCredentialScopes } from '../../domain/oauth-scopes.ts';
import { OAuthError } from '../../errors/oauth-error.ts';
import { preTokenGeneration } from '../../triggers/pre-token-generation.ts';
import { type Grant, tokenResponse } from './grant.ts';

/**
 * aws_client_metadata: a JSON object of strings, for a V3_0 pre token
 * generation trigger (developer guide, "Token endpoint"); anything else is a
 * malformed request.
 */
function clientMetadataOf(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new OAuthError('invalid_request', 'aws_client_metadata must be a JSON object of strings.');
  }
  return value as Record<string, string>;
}

/**
 * client_credentials (RFC 6749 section 4.4): a confidential client acting
 * for itself, with the custom (resource-server) scopes it may have. An access
 * token only (developer guide, "Token endpoint").
 */
export const clientCredentials: Grant = {
  type: 'client_credentials',
  async exchange(form, client, ctx) {
    if (client.secret === null) throw new OAuthError('invalid_client', 'Client authentication failed.');
    if (!allowsOAuthFlow(client, 'client_credentials')) throw new OAuthError('unauthorized_client', 'The client is not allowed the client credentials grant.');
    const pool = await ctx.store.pools.pool(client.poolId);
    if (!pool) throw new OAuthError('invalid_client', 'Client authentication failed.');
    const scopes = clientCredentialScopes(client, form.get('scope'), knownScopes(await ctx.store.resourceServers.list(pool.id)));
    if (!scopes) throw new OAuthError('invalid_scope', 'A requested scope is not allowed for this client, or the client has no custom scope.');
    return tokenResponse(
      await ctx.tokens.clientCredentials(
        ctx.store,
        pool,
        client,
        scopes,
        preTokenGeneration(ctx, 'ClientCredentials', clientMetadataOf(form.get('aws_client_metadata'))),
      ),
    );
  },
};
