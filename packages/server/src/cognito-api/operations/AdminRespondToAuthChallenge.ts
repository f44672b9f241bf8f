import { respondToChallenge } from '../auth.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('AdminRespondToAuthChallenge', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const client = await requireClient(ctx.store, input.ClientId, pool.id);
  return respondToChallenge(ctx, pool, client, 'admin', input.ChallengeName, input.ChallengeResponses, input.Session, input.ClientMetadata);
});
