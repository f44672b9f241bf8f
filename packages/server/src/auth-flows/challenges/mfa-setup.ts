import { checkSecretHash, findUserBySignInName } from '../../cognito-api/lookups.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { takeChallenge } from '../../services/challenges.ts';
import { parseState } from '../../services/mfa.ts';
import { completeSignIn } from '../../services/sign-in.ts';
import type { ChallengeHandler } from '../flow.ts';

// MFA_SETUP: the pool requires MFA and the user had none. The client calls
// AssociateSoftwareToken and VerifySoftwareToken with the Session (each hands
// back a new one), then answers here with the Session VerifySoftwareToken
// returned; only that one (stage "verified") completes the sign-in.
const mfaSetup: ChallengeHandler = {
  name: 'MFA_SETUP',
  async respond(responses, session, { ctx, pool, client }) {
    const username = responses['USERNAME'];
    if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
    checkSecretHash(client, username, responses['SECRET_HASH']);
    return ctx.store.transaction(async (tx) => {
      const row = await takeChallenge(tx, ctx.clock, session, client, 'MFA_SETUP');
      const user = await findUserBySignInName(tx, pool, username);
      if (!user || user.sub !== row.sub) throw Errors.NotAuthorized('Invalid session for the user.');
      if (!user.enabled) throw Errors.NotAuthorized('User is disabled.');
      const state = parseState(row.state);
      if (state.stage !== 'verified') throw Errors.NotAuthorized('Invalid session for the user.');
      return completeSignIn({ ...ctx, store: tx }, pool, client, user, state.signals);
    });
  },
};
export default mfaSetup;
