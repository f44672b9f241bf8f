import { setMfaPreference } from '../../services/mfa-preference.ts';
import { accessTokenOperation } from '../operation.ts';

// The signed-in user turns their MFA factors on or off and picks a preferred one (rules: services/mfa-preference.ts).
export default accessTokenOperation('SetUserMFAPreference', async (input, ctx) => {
  await setMfaPreference(ctx, ctx.caller.user, input);
  return {};
});
