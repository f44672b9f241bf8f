import { initiateAuth } from '../auth.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('AdminInitiateAuth', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const client = await requireClient(ctx.store, input.ClientId, pool.id);
  return initiateAuth(ctx, pool, client, 'admin', input.AuthFlow, input.AuthParameters, input.ClientMetadata);
});
