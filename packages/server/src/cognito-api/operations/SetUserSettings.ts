import type { SetUserSettingsRequest } from '@aws-sdk/client-cognito-identity-provider';
import { saveLegacyMfaOptions } from '../../services/mfa-preference.ts';
import { accessTokenOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

// The signed-in user's legacy SMS-only MFAOptions (domain/mfa-options.ts).
export default accessTokenOperation<Wire<SetUserSettingsRequest>>('SetUserSettings', async (input, ctx) => {
  const { user } = ctx.caller;
  await saveLegacyMfaOptions(ctx, user, input.MFAOptions);
  return {};
});
