import { authFactorsOf } from '../../services/passwordless.ts';
import { accessTokenOperation } from '../operation.ts';

// The signed-in user's sign-in options: their MFA settings, and the first
// factors they can choose with USER_AUTH (ConfiguredUserAuthFactors, the same
// list InitiateAuth answers in AvailableChallenges, PASSWORD standing for
// both password factors).
export default accessTokenOperation('GetUserAuthFactors', async (_input, ctx) => {
  const { user, pool } = ctx.caller;
  return authFactorsOf(ctx, pool, user);
});
