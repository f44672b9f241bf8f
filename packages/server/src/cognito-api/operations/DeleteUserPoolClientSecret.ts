import { Errors } from '../../errors/cognito-error.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Ends one of a client's secrets; "you cannot delete the last remaining
// secret" (API reference), so a confidential client never silently becomes
// a public one. Messages are Cognate's own (unconfirmed).
export default operatorOperation('DeleteUserPoolClientSecret', async (input, ctx) => {
  await ctx.store.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const client = await requireClient(tx, input.ClientId, pool.id);
    if (!client.secrets.some((s) => s.id === input.ClientSecretId)) throw Errors.ResourceNotFound(`Client secret ${input.ClientSecretId} does not exist.`);
    if (client.secrets.length === 1) throw Errors.InvalidParameter('The last remaining client secret of an app client cannot be deleted.');
    await tx.pools.deleteClientSecret(client.clientId, input.ClientSecretId);
  });
  return {};
});
