import type { RespondToAuthChallengeRequest } from '@aws-sdk/client-cognito-identity-provider';
import { respondToChallenge } from '../auth.ts';
import { requireClientAndPool } from '../../services/lookups.ts';
import { publicOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

export default publicOperation<Wire<RespondToAuthChallengeRequest>>('RespondToAuthChallenge', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId!);
  return respondToChallenge(ctx, pool, client, 'public', input.ChallengeName!, input.ChallengeResponses, input.Session);
});
