import type { AdminSetUserMFAPreferenceRequest } from '@aws-sdk/client-cognito-identity-provider';
import { setMfaPreference } from '../../services/mfa-preference.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

// SetUserMFAPreference for any user of the pool, by an operator (same rules: services/mfa-preference.ts).
export default operatorOperation<Wire<AdminSetUserMFAPreferenceRequest>>('AdminSetUserMFAPreference', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  const user = await requireUser(ctx.store, pool, input.Username!);
  await setMfaPreference(ctx, user, input);
  return {};
});
