import { mfaConfigOf } from '../../domain/pool-settings.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('GetUserPoolMfaConfig', async (input, ctx) => {
  return mfaConfigOf(await requirePool(ctx.store, input.UserPoolId));
});
