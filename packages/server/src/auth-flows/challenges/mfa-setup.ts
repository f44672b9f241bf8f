import { checkSecretHash, findUserBySignInName, signInNameHolders } from '../../services/lookups.ts';
import { validateAttributes } from '../../domain/attributes.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { peekChallenge, takeChallenge } from '../../services/challenges.ts';
import { challengeFor, parseState, poolFactors } from '../../services/mfa.ts';
import { finishSignIn, prepareSignInCompletion } from '../../services/sign-in.ts';
import type { Store } from '../../store/store.ts';
import type { ChallengeHandler } from '../flow.ts';

// MFA_SETUP: the pool requires MFA and the user had none. Two ways through:
// - An authenticator app: the client calls AssociateSoftwareToken and
//   VerifySoftwareToken with the Session (each hands back a new one), then
//   answers here with the Session VerifySoftwareToken returned; only that one
//   (stage "verified") completes the sign-in.
// - Email, where the pool offers email MFA (MFAS_CAN_SETUP lists EMAIL_OTP):
//   the client answers with EMAIL, an address; a code goes there and an
//   EMAIL_OTP challenge follows. Only its right code writes the address (as
//   verified) and turns email MFA on, then completes the sign-in (see
//   auth-flows/mfa-answer.ts). This is what Amplify v6 does for
//   CONTINUE_SIGN_IN_WITH_EMAIL_SETUP.
const mfaSetup: ChallengeHandler = {
  name: 'MFA_SETUP',
  async respond(responses, session, { ctx, pool, client }) {
    const username = responses['USERNAME'];
    if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
    checkSecretHash(client, username, responses['SECRET_HASH']);
    const email = responses['EMAIL'];
    if (email !== undefined) {
      // Wording unconfirmed: Cognito documents no message for this case.
      if (!poolFactors(pool).has('EMAIL_OTP')) throw Errors.InvalidParameter('Email MFA is not enabled for this user pool.');
      validateAttributes(pool, [{ Name: 'email', Value: email }], { who: 'user', creating: false, client });
    }
    // Checked on the open session first: the functions a completing sign-in asks (post authentication,
    // pre token generation) and a code's message run outside any transaction, which only takes the session.
    const open = await peekChallenge(ctx.store, ctx.clock, session, client, 'MFA_SETUP');
    const user = await findUserBySignInName(ctx.store, pool, username);
    if (!user || user.sub !== open.sub) throw Errors.NotAuthorized('Invalid session for the user.');
    if (!user.enabled) throw Errors.NotAuthorized('User is disabled.');
    const state = parseState(open.state);
    // The address becomes a verified email: it must not already name someone else (checked again when its code is right).
    const aliasTaken = async (store: Store, address: string) => (await signInNameHolders(store, pool, 'email', address, user.sub))?.users.length;
    if (email !== undefined) {
      if (state.stage === 'verified') throw Errors.NotAuthorized('Invalid session for the user.');
      if (await aliasTaken(ctx.store, email)) throw Errors.AliasExists('An account with the given email already exists.');
      await takeChallenge(ctx.store, ctx.clock, session, client, 'MFA_SETUP');
      return challengeFor(ctx, pool, client, user, 'EMAIL_OTP', state.signals, await ctx.store.mfa.get(user.sub), email);
    }
    if (state.stage !== 'verified') throw Errors.NotAuthorized('Invalid session for the user.');
    const completion = await prepareSignInCompletion(ctx, pool, client, user, state.signals);
    return ctx.store.transaction(async (tx) => {
      const row = await takeChallenge(tx, ctx.clock, session, client, 'MFA_SETUP');
      if (row.sub !== user.sub) throw Errors.NotAuthorized('Invalid session for the user.');
      return finishSignIn({ ...ctx, store: tx }, pool, client, user, state.signals, completion);
    });
  },
};
export default mfaSetup;
