import { checkAttributeLists, newClientSettings } from '../../domain/client-settings.ts';
import { checkOAuthSettings } from '../../domain/oauth-client-settings.ts';
import { oauthContext } from '../../services/oauth-client-context.ts';
import { describeClient } from '../describe.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// As the API reference warns, "if you don't provide a value for an
// attribute, Amazon Cognito sets it to its default value": the settings are
// rebuilt from the request exactly as CreateUserPoolClient builds them. The
// name stays when absent; secrets have their own operations.
export default operatorOperation('UpdateUserPoolClient', async (input, ctx) => {
  return ctx.store.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const client = await requireClient(tx, input.ClientId, pool.id);
    const settings = {
      ...newClientSettings({ ...input, ClientName: input.ClientName ?? client.name }),
      // Not an UpdateUserPoolClient member: SetUserPoolClientSessionConfiguration's.
      ...(client.settings.SSOSession ? { SSOSession: client.settings.SSOSession } : {}),
    };
    checkAttributeLists(pool, settings, 'updating');
    checkOAuthSettings(settings, await oauthContext(tx, pool.id, client.secret !== null));
    const updated = { ...client, name: input.ClientName ?? client.name, settings, updatedAt: ctx.clock.now() };
    await tx.pools.updateClient(updated);
    return { UserPoolClient: describeClient(updated) };
  });
});
