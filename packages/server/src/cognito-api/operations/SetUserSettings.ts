import { saveLegacyMfaOptions } from '../../services/mfa-preference.ts';
import { accessTokenOperation } from '../operation.ts';

// The signed-in user's legacy SMS-only MFAOptions (domain/mfa-options.ts).
export default accessTokenOperation('SetUserSettings', async (input, ctx) => {
  const { user } = ctx.caller;
  await saveLegacyMfaOptions(ctx, user, input.MFAOptions);
  return {};
});
