import type { ResourceServer } from '../../domain/oauth-config.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { requirePool } from '../../services/lookups.ts';
import { describeResourceServer, scopesOf } from '../resource-servers.ts';
import { operatorOperation } from '../operation.ts';

// A resource server names custom scopes `<Identifier>/<ScopeName>` that app
// clients may be given (DG cognito-user-pools-define-resource-servers.html).
// The identifier is unique within the pool; the insert itself detects a
// duplicate, so two concurrent creates cannot both succeed.
export default operatorOperation('CreateResourceServer', async (input, ctx) => {
  const server: ResourceServer = { poolId: input.UserPoolId, identifier: input.Identifier, name: input.Name, scopes: scopesOf(input.Scopes) };
  await ctx.store.transaction(async (tx) => {
    await requirePool(tx, input.UserPoolId);
    // Wording ours (Cognito's unconfirmed).
    if (!(await tx.resourceServers.insert(server, ctx.clock.now()))) {
      throw Errors.InvalidParameter(`A resource server with identifier ${server.identifier} already exists in the user pool.`);
    }
  });
  return { ResourceServer: describeResourceServer(server) };
});
