import { checkSecretHash, findUserBySignInName } from '../../services/lookups.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { takeChallenge } from '../../services/challenges.ts';
import { challengeFor, parseState, type MfaFactor } from '../../services/mfa.ts';
import type { ChallengeHandler } from '../flow.ts';

// SELECT_MFA_TYPE: the user has several factors and prefers none; ANSWER
// names one of MFAS_CAN_CHOOSE, and that factor's challenge follows (for SMS
// and email, with a code sent now, bound to the new Session).
const selectMfaType: ChallengeHandler = {
  name: 'SELECT_MFA_TYPE',
  async respond(responses, session, { ctx, pool, client }) {
    const username = responses['USERNAME'];
    if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
    checkSecretHash(client, username, responses['SECRET_HASH']);
    const answer = responses['ANSWER'];
    if (!answer) throw Errors.InvalidParameter('Missing required parameter ANSWER');
    return ctx.store.transaction(async (tx) => {
      const row = await takeChallenge(tx, ctx.clock, session, client, 'SELECT_MFA_TYPE');
      const user = await findUserBySignInName(tx, pool, username);
      if (!user || user.sub !== row.sub) throw Errors.NotAuthorized('Invalid session for the user.');
      if (!user.enabled) throw Errors.NotAuthorized('User is disabled.');
      const state = parseState(row.state);
      if (!(state.choices ?? []).includes(answer as MfaFactor))
        throw Errors.InvalidParameter(`Invalid ANSWER ${answer}: expected one of ${JSON.stringify(state.choices ?? [])}`);
      return challengeFor({ ...ctx, store: tx }, pool, client, user, answer as MfaFactor, state.signals, await tx.mfa.get(user.sub));
    });
  },
};
export default selectMfaType;
