import { setMfaPreference } from '../../services/mfa-preference.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// SetUserMFAPreference for any user of the pool, by an operator (same rules: services/mfa-preference.ts).
export default operatorOperation('AdminSetUserMFAPreference', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  await setMfaPreference(ctx, user, input);
  return {};
});
