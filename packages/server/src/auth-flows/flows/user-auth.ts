import { preventsUserExistenceErrors } from '../../domain/client-settings.ts';
import type { User } from '../../domain/user.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { checkSecretHash, findUserBySignInName } from '../../services/lookups.ts';
import { openChallenge } from '../../services/challenges.ts';
import { isFirstFactor, poolFirstFactors, startPasswordlessCode, userFirstFactors, type FirstFactor } from '../../services/passwordless.ts';
import { afterFirstFactor, checkBeforePassword, checkPasswordSignIn, checkUnknownNameBeforePassword, unknownUserError } from '../../services/sign-in.ts';
import type { AuthStep } from '../../services/auth-step.ts';
import { preAuthentication } from '../../triggers/authentication.ts';
import type { AuthFlow, FlowEnv, Params } from '../flow.ts';
import { startSrp } from './user-srp.ts';

/** What the SELECT_CHALLENGE row keeps between InitiateAuth and the choice. */
export interface SelectState {
  available: FirstFactor[];
  /** For an unknown name under PreventUserExistenceErrors ENABLED: the key its failures count under. */
  unknownName?: string;
}

// USER_AUTH, choice-based sign-in (developer guide, "Manage authentication
// methods in AWS SDKs"). With USERNAME alone the user gets SELECT_CHALLENGE
// and the factors they can use in AvailableChallenges; with a
// PREFERRED_CHALLENGE they can use (and its parameters), that factor starts
// at once; a preferred factor they cannot use falls back to SELECT_CHALLENGE.
// An unknown name is UserNotFoundException, or with PreventUserExistenceErrors
// ENABLED a SELECT_CHALLENGE offering the pool's factors, whose every path
// then fails as a wrong password or code would ("Managing user existence
// error responses": Cognito answers "with a random selection from the
// challenge types allowed for the user pool"; Cognate offers all of them, so
// that asking twice gives the same answer).
const userAuth: AuthFlow = {
  names: ['USER_AUTH'],
  endpoints: ['public', 'admin'],
  allow: 'ALLOW_USER_AUTH',
  async start(params, env) {
    const { ctx, pool, client } = env;
    const username = params['USERNAME'];
    if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
    checkSecretHash(client, username, params['SECRET_HASH']);
    const preferred = params['PREFERRED_CHALLENGE'];
    // Wording unconfirmed: Cognito documents the values, not the message for others.
    if (preferred !== undefined && !isFirstFactor(preferred)) throw Errors.InvalidParameter(`Invalid PREFERRED_CHALLENGE ${preferred}`);

    const user = await findUserBySignInName(ctx.store, pool, username);
    if (!user && !preventsUserExistenceErrors(client)) throw unknownUserError(client);
    // Once per sign-in, here where it starts: not again when a factor is chosen (SELECT_CHALLENGE).
    await preAuthentication(ctx, pool, client, { user, given: username, validationData: env.validationData ?? null });
    const available = user ? await userFirstFactors(ctx, pool, user) : poolFirstFactors(ctx, pool);
    if (preferred && available.includes(preferred)) return startFirstFactor(preferred, params, env, user, username);
    return selectChallenge(env, user, username, available);
  },
};
export default userAuth;

/** Opens SELECT_CHALLENGE; a locked account (or locked unknown name) is refused here already, as at every first step. */
async function selectChallenge({ ctx, pool, client }: FlowEnv, user: User | null, given: string, available: FirstFactor[]): Promise<AuthStep> {
  if (user) checkBeforePassword(user, ctx.clock.now(), client);
  const unknownName = user ? undefined : await checkUnknownNameBeforePassword(ctx, pool, given);
  // Nothing this user could answer: refused as a wrong password, which tells no more than the choice would.
  if (available.length === 0) throw Errors.NotAuthorized('Incorrect username or password.');
  const state: SelectState = { available, ...(unknownName ? { unknownName } : {}) };
  const session = await openChallenge(ctx.store, ctx, { client, user, challenge: 'SELECT_CHALLENGE', state: { ...state } });
  return { ChallengeName: 'SELECT_CHALLENGE', Session: session, ChallengeParameters: {}, AvailableChallenges: available };
}

/**
 * Starts the chosen (or preferred) first factor with the parameters sent
 * along: PASSWORD checks PASSWORD at once, PASSWORD_SRP answers SRP_A with
 * PASSWORD_VERIFIER (then as USER_SRP_AUTH), EMAIL_OTP and SMS_OTP send a
 * code. `user`
 * is null for an unknown name under PreventUserExistenceErrors ENABLED; each
 * path has its own simulation.
 */
export async function startFirstFactor(factor: FirstFactor, params: Params, env: FlowEnv, user: User | null, given: string): Promise<AuthStep> {
  const { ctx, pool, client } = env;
  switch (factor) {
    case 'PASSWORD': {
      const password = params['PASSWORD'];
      if (!password) throw Errors.InvalidParameter('Missing required parameter PASSWORD');
      const signedIn = await checkPasswordSignIn(ctx, pool, client, given, password);
      return afterFirstFactor(ctx, pool, client, signedIn, { deviceKey: params['DEVICE_KEY'] });
    }
    case 'PASSWORD_SRP':
      // After the proof the sign-in continues exactly as USER_SRP_AUTH's does.
      return startSrp({ ...params, USERNAME: given }, env, 'USER_SRP_AUTH');
    case 'EMAIL_OTP':
    case 'SMS_OTP':
      return startPasswordlessCode(ctx, pool, client, factor, user, given);
    default:
      // WEB_AUTHN is never offered yet (services/passwordless.ts).
      throw Errors.InvalidParameter(`${factor} is not available for the user.`);
  }
}
