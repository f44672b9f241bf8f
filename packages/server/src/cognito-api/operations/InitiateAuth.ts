import { initiateAuth } from '../auth.ts';
import { requireClientAndPool } from '../../services/lookups.ts';
import { publicOperation } from '../operation.ts';

export default publicOperation('InitiateAuth', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId);
  return initiateAuth(ctx, pool, client, 'public', input.AuthFlow, input.AuthParameters, input.ClientMetadata);
});
