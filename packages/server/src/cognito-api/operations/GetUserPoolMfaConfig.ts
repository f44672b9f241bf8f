import type { GetUserPoolMfaConfigRequest } from '@aws-sdk/client-cognito-identity-provider';
import { mfaConfigOf } from '../../domain/pool-settings.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

export default operatorOperation<Wire<GetUserPoolMfaConfigRequest>>('GetUserPoolMfaConfig', async (input, ctx) => {
  return mfaConfigOf(await requirePool(ctx.store, input.UserPoolId!));
});
