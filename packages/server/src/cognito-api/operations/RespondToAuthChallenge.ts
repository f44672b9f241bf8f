import { respondToChallenge } from '../auth.ts';
import { requireClientAndPool } from '../../services/lookups.ts';
import { publicOperation } from '../operation.ts';

export default publicOperation('RespondToAuthChallenge', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId);
  return respondToChallenge(ctx, pool, client, 'public', input.ChallengeName, input.ChallengeResponses, input.Session, input.ClientMetadata);
});
