import { checkAttributeLists, newClientSettings } from '../../domain/client-settings.ts';
import { checkOAuthSettings } from '../../domain/oauth-client-settings.ts';
import { newClientId } from '../../services/ids.ts';
import { oauthContext } from '../../services/oauth-client-context.ts';
import { newSecret } from '../client-secrets.ts';
import { describeClient } from '../describe.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('CreateUserPoolClient', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const settings = newClientSettings(input);
  checkAttributeLists(pool, settings, 'creating');
  checkOAuthSettings(settings, await oauthContext(ctx.store, pool.id, input.GenerateSecret === true));
  const now = ctx.clock.now();
  // The secret may be chosen by the caller (ClientSecret, model-checked) or generated.
  const secrets = input.GenerateSecret ? [newSecret(ctx.ids, now, input.ClientSecret)] : [];
  const client = {
    clientId: newClientId(ctx.ids),
    poolId: pool.id,
    name: input.ClientName,
    secret: secrets[0]?.value ?? null,
    secrets,
    settings,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.transaction((tx) => tx.pools.insertClient(client));
  return { UserPoolClient: describeClient(client) };
});
