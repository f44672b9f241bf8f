import type { AppClient } from '../../domain/client-settings.ts';
import type { Pool } from '../../domain/pool-settings.ts';
import type { User } from '../../domain/user.ts';
import { Errors } from '../../errors/cognito-error.ts';
import type { Context } from '../../context.ts';
import type { AuthStep } from '../../services/auth-step.ts';
import type { AuthFlow } from '../flow.ts';
import { startSrp } from './user-srp.ts';

// CUSTOM_AUTH: challenges decided by the pool's DefineAuthChallenge trigger.
// Only its shape is here, for the custom-auth work to fill in: a pool without
// the trigger is refused as Cognito refuses it; with `CHALLENGE_NAME: SRP_A`
// the flow opens with SRP exactly as USER_SRP_AUTH does, and the
// PASSWORD_VERIFIER answer comes back to `continueCustomAuth`.
const customAuth: AuthFlow = {
  names: ['CUSTOM_AUTH'],
  endpoints: ['public', 'admin'],
  allow: 'ALLOW_CUSTOM_AUTH',
  async start(params, env) {
    if (!env.pool.settings.LambdaConfig?.DefineAuthChallenge) throw Errors.InvalidParameter('Custom auth lambda trigger is not configured for the user pool.');
    if (params['CHALLENGE_NAME'] === 'SRP_A') return startSrp(params, env, 'CUSTOM_AUTH');
    return continueCustomAuth(env.ctx, env.pool, env.client, null);
  },
};
export default customAuth;

/**
 * The next custom challenge, after SRP (with the user it proved) or at the
 * start (user not yet known). Cognate does not run Lambda triggers yet, so
 * there is no DefineAuthChallenge to ask.
 */
export async function continueCustomAuth(_ctx: Context, _pool: Pool, _client: AppClient, _user: User | null): Promise<AuthStep> {
  throw Errors.UnsupportedOperation('Cognate does not run Lambda triggers yet, so CUSTOM_AUTH cannot ask DefineAuthChallenge.');
}
