import { MAX_CLIENT_SECRETS } from '../../domain/client-settings.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { newSecret } from '../client-secrets.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import { epochSeconds } from '../../domain/wire.ts';

// A second secret for a confidential client, for rotation without downtime:
// while both exist, SECRET_HASH (and ClientSecret) made with either is
// accepted. The value is returned only when Cognate generated it, as the API
// reference says. Messages of the two refusals are Cognate's own (unconfirmed).
export default operatorOperation('AddUserPoolClientSecret', async (input, ctx) => {
  return ctx.store.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const client = await requireClient(tx, input.ClientId, pool.id);
    if (client.secret === null)
      throw Errors.InvalidParameter(`Client ${client.clientId} has no client secret: secrets can be added only to confidential clients.`);
    if (client.secrets.length >= MAX_CLIENT_SECRETS) {
      throw Errors.LimitExceeded(`Client ${client.clientId} already has ${MAX_CLIENT_SECRETS} client secrets; delete one before adding another.`);
    }
    const secret = newSecret(ctx.ids, ctx.clock.now(), input.ClientSecret);
    await tx.pools.insertClientSecret(client.clientId, secret);
    return {
      ClientSecretDescriptor: {
        ClientSecretId: secret.id,
        ...(input.ClientSecret === undefined ? { ClientSecretValue: secret.value } : {}),
        ClientSecretCreateDate: epochSeconds(secret.createdAt),
      },
    };
  });
});
