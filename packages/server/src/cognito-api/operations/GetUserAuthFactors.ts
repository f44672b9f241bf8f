import type { GetUserAuthFactorsRequest } from '@aws-sdk/client-cognito-identity-provider';
import { authFactorsOf } from '../../services/passwordless.ts';
import { accessTokenOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

// The signed-in user's sign-in options: their MFA settings, and the first
// factors they can choose with USER_AUTH (ConfiguredUserAuthFactors, the same
// list InitiateAuth answers in AvailableChallenges, PASSWORD standing for
// both password factors).
export default accessTokenOperation<Wire<GetUserAuthFactorsRequest>>('GetUserAuthFactors', async (_input, ctx) => {
  const { user, pool } = ctx.caller;
  return authFactorsOf(ctx, pool, user);
});
