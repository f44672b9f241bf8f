import { preventsUserExistenceErrors } from '../../domain/client-settings.ts';
import type { User } from '../../domain/user.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { noteAuthEvent } from '../../services/auth-events.ts';
import type { AuthStep } from '../../services/auth-step.ts';
import { checkSecretHash, findUserBySignInName } from '../../services/lookups.ts';
import { unknownUserError } from '../../services/sign-in.ts';
import { act, checkCustomAuthUser, define, nextRound, type ChallengeResult, type Subject } from '../custom-rounds.ts';
import type { AuthFlow, FlowEnv } from '../flow.ts';
import { preAuthentication } from '../../triggers/authentication.ts';
import { startSrp } from './user-srp.ts';

// CUSTOM_AUTH: challenges decided by the pool's DefineAuthChallenge trigger
// (custom-rounds.ts). A pool without the trigger is refused as Cognito
// refuses it. With `CHALLENGE_NAME: SRP_A` (and SRP_A) the function is first
// asked with the session [SRP_A: true]; when it answers PASSWORD_VERIFIER the
// flow continues with SRP exactly as USER_SRP_AUTH does, and the right
// password proof comes back to `continueCustomAuth`.
//
// A name that matches no one is UserNotFoundException, unless the client has
// PreventUserExistenceErrors ENABLED: then the functions run with
// userNotFound: true, and the sign-in can only ever fail.
const customAuth: AuthFlow = {
  names: ['CUSTOM_AUTH'],
  endpoints: ['public', 'admin'],
  allow: 'ALLOW_CUSTOM_AUTH',
  async start(params, env) {
    if (!env.pool.settings.LambdaConfig?.DefineAuthChallenge) throw Errors.InvalidParameter('Custom auth lambda trigger is not configured for the user pool.');
    const withSrp = params['CHALLENGE_NAME'] === 'SRP_A';
    const username = params['USERNAME'];
    if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
    if (withSrp && !params['SRP_A']) throw Errors.InvalidParameter('Missing required parameter SRP_A');
    checkSecretHash(env.client, username, params['SECRET_HASH']);
    const subject = await subjectOf(env, username);
    // The sign-in starts here: the pre authentication trigger before any challenge function, as in the other flows.
    await preAuthentication(env.ctx, env.pool, env.client, { user: subject.user, given: username, validationData: env.validationData ?? null });
    if (!withSrp) return nextRound(env, subject, [], params['DEVICE_KEY']);

    const results: ChallengeResult[] = [{ challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null }];
    const decision = await define(env, subject, results);
    if (decision.kind === 'challenge' && decision.name === 'PASSWORD_VERIFIER') return startSrp(params, env, 'CUSTOM_AUTH', { custom: results });
    return act(env, subject, results, decision, params['DEVICE_KEY']);
  },
};
export default customAuth;

async function subjectOf({ ctx, pool, client }: FlowEnv, username: string): Promise<Subject> {
  const user = await findUserBySignInName(ctx.store, pool, username);
  if (!user) {
    if (!preventsUserExistenceErrors(client)) throw unknownUserError(client);
    return { user: null, name: username };
  }
  noteAuthEvent(ctx, user, 'SignIn');
  checkCustomAuthUser(user);
  return { user, name: user.username };
}

/**
 * After a right PASSWORD_VERIFIER in a custom flow: the session so far
 * (SRP_A, then PASSWORD_VERIFIER: true) goes back to DefineAuthChallenge.
 * A wrong proof never gets here: it is "Incorrect username or password." and
 * counts toward the lockout, as in USER_SRP_AUTH.
 */
export function continueCustomAuth(env: FlowEnv, user: User, earlier: ChallengeResult[], deviceKey: string | undefined): Promise<AuthStep> {
  const results = [...earlier, { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: null }];
  return nextRound(env, { user, name: user.username }, results, deviceKey);
}
