import { requirePool } from '../../services/lookups.ts';
import { describeResourceServer, requireResourceServer, scopesOf } from '../resource-servers.ts';
import { operatorOperation } from '../operation.ts';

// Name and Scopes replace the stored ones; as the API reference warns for
// every Update*, an absent value is set to its default (no scopes). App
// clients keep the scope names they were given: a scope no longer defined is
// simply not granted by the OAuth endpoints (oauth-client-settings.ts).
export default operatorOperation('UpdateResourceServer', async (input, ctx) => {
  const scopes = scopesOf(input.Scopes);
  return ctx.store.transaction(async (tx) => {
    await requirePool(tx, input.UserPoolId);
    const server = await requireResourceServer(tx, input.UserPoolId, input.Identifier);
    const updated = { ...server, name: input.Name, scopes };
    await tx.resourceServers.update(updated, ctx.clock.now());
    return { ResourceServer: describeResourceServer(updated) };
  });
});
