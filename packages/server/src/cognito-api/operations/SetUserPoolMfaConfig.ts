import { mfaConfigOf, withMfaConfig } from '../../domain/pool-settings.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Stores and validates the pool's MFA mode and factors (see withMfaConfig);
// DescribeUserPool's MfaConfiguration follows. Sign-in does not enforce MFA yet.
export default operatorOperation('SetUserPoolMfaConfig', async (input, ctx) => {
  return ctx.store.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const updated = { ...pool, settings: withMfaConfig(pool, input), updatedAt: ctx.clock.now() };
    await tx.pools.updatePool(updated);
    return mfaConfigOf(updated);
  });
});
