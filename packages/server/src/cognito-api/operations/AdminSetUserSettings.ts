import type { AdminSetUserSettingsRequest } from '@aws-sdk/client-cognito-identity-provider';
import { parseMfaOptions } from '../../domain/mfa-options.ts';
import { requirePool, requireUser } from '../lookups.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../wire.ts';

// Legacy SMS-only MFAOptions, stored and shown by AdminGetUser / GetUser
// (domain/mfa-options.ts). An empty list clears them.
export default operatorOperation<Wire<AdminSetUserSettingsRequest>>('AdminSetUserSettings', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  const user = await requireUser(ctx.store, pool, input.Username!);
  const options = parseMfaOptions(input.MFAOptions);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.events.setMfaOptions(user.sub, options);
    await tx.users.update(user.sub, {}, now);
  });
  return {};
});
