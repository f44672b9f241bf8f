import type { AdminInitiateAuthRequest } from '@aws-sdk/client-cognito-identity-provider';
import { initiateAuth } from '../auth.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

export default operatorOperation<Wire<AdminInitiateAuthRequest>>('AdminInitiateAuth', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  const client = await requireClient(ctx.store, input.ClientId!, pool.id);
  return initiateAuth(ctx, pool, client, 'admin', input.AuthFlow!, input.AuthParameters);
});
