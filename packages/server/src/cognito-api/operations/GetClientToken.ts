import { knownScopes } from '../../domain/oauth-client-settings.ts';
import { clientCredentialScopes } from '../../domain/oauth-scopes.ts';
import { allowsFlow } from '../../domain/client-settings.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { clientSecretMatches, requirePool } from '../../services/lookups.ts';
import { preTokenGeneration } from '../../triggers/pre-token-generation.ts';
import { publicOperation } from '../operation.ts';

// Machine-to-machine access token (SDK-only, model/sdk-only-shapes.json): the
// client-credentials grant of /oauth2/token spoken as an API call. The client
// proves itself with one of its secrets, must have ALLOW_CLIENT_TOKEN_AUTH
// (which CreateUserPoolClient/UpdateUserPoolClient allow only alone), and gets
// the custom scopes the grant would give it (domain/oauth-scopes.ts).
// Authentication comes first, so a caller without the secret learns nothing of
// the client's settings. Wordings are ours (unconfirmed): the one for a client
// without the flow follows InitiateAuth's for a flow the client lacks.
export default publicOperation('GetClientToken', async (input, ctx) => {
  const client = await ctx.store.pools.client(input.ClientId);
  if (!client || client.secret === null || !clientSecretMatches(client, input.Secret)) {
    throw Errors.NotAuthorized('Client authentication failed.');
  }
  if (!allowsFlow(client, 'ALLOW_CLIENT_TOKEN_AUTH')) throw Errors.InvalidParameter('ALLOW_CLIENT_TOKEN_AUTH flow not enabled for this client');
  const pool = await requirePool(ctx.store, client.poolId);
  const asked = input.Scopes?.length ? input.Scopes.join(' ') : undefined;
  const scopes = clientCredentialScopes(client, asked, knownScopes(await ctx.store.resourceServers.list(pool.id)));
  if (!scopes) throw Errors.InvalidParameter('A requested scope is not allowed for this client, or the client has no custom scope.');
  return {
    ClientAuthenticationResult: await ctx.tokens.clientCredentials(
      ctx.store,
      pool,
      client,
      scopes,
      preTokenGeneration(ctx, 'ClientCredentials', input.ClientMetadata),
    ),
  };
});
