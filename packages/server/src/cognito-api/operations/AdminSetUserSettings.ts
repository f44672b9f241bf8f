import { saveLegacyMfaOptions } from '../../services/mfa-preference.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Legacy SMS-only MFAOptions, stored and shown by AdminGetUser / GetUser
// (domain/mfa-options.ts). An empty list clears them.
export default operatorOperation('AdminSetUserSettings', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  await saveLegacyMfaOptions(ctx, user, input.MFAOptions);
  return {};
});
