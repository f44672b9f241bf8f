import type { InitiateAuthRequest } from '@aws-sdk/client-cognito-identity-provider';
import { initiateAuth } from '../auth.ts';
import { requireClientAndPool } from '../../services/lookups.ts';
import { publicOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

export default publicOperation<Wire<InitiateAuthRequest>>('InitiateAuth', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId!);
  return initiateAuth(ctx, pool, client, 'public', input.AuthFlow!, input.AuthParameters);
});
