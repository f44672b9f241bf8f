import type { SetUserSettingsRequest } from '@aws-sdk/client-cognito-identity-provider';
import { parseMfaOptions } from '../../domain/mfa-options.ts';
import { accessTokenOperation } from '../operation.ts';
import type { Wire } from '../wire.ts';

// The signed-in user's legacy SMS-only MFAOptions (domain/mfa-options.ts).
export default accessTokenOperation<Wire<SetUserSettingsRequest>>('SetUserSettings', async (input, ctx) => {
  const { user } = ctx.caller;
  const options = parseMfaOptions(input.MFAOptions);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.events.setMfaOptions(user.sub, options);
    await tx.users.update(user.sub, {}, now);
  });
  return {};
});
