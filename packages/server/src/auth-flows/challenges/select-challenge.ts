import { Errors } from '../../errors/cognito-error.ts';
import { checkSecretHash, findUserBySignInName } from '../../services/lookups.ts';
import { peekChallenge, takeChallenge } from '../../services/challenges.ts';
import { isFirstFactor, type FirstFactor } from '../../services/passwordless.ts';
import { checkUnknownNameBeforePassword } from '../../services/sign-in.ts';
import { startFirstFactor, type SelectState } from '../flows/user-auth.ts';
import type { ChallengeHandler } from '../flow.ts';

const invalidSession = () => Errors.NotAuthorized('Invalid session for the user.');
/** The parameter each factor's first step needs along with ANSWER. */
const PARAMETERS: Partial<Record<FirstFactor, string>> = { PASSWORD: 'PASSWORD', PASSWORD_SRP: 'SRP_A' };

// SELECT_CHALLENGE (USER_AUTH): the user picks one of the AvailableChallenges
// as ANSWER, with that factor's parameters (PASSWORD, or SRP_A; nothing more
// for EMAIL_OTP or SMS_OTP), and the factor starts as if it had been
// preferred. The session is taken once and must be answered for the user
// (or unknown name) it was opened for.
const selectChallenge: ChallengeHandler = {
  name: 'SELECT_CHALLENGE',
  async respond(responses, session, env) {
    const { ctx, pool, client } = env;
    const username = responses['USERNAME'];
    if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
    checkSecretHash(client, username, responses['SECRET_HASH']);
    const answer = responses['ANSWER'];
    if (!answer) throw Errors.InvalidParameter('Missing required parameter ANSWER');

    // Everything is checked on the open session before it is taken, so a
    // malformed or refused answer leaves it usable for a corrected one.
    const row = await peekChallenge(ctx.store, ctx.clock, session, client, 'SELECT_CHALLENGE');
    const state = parseState(row.state);
    const named = await findUserBySignInName(ctx.store, pool, username);
    if (!state) throw invalidSession();
    if (row.sub) {
      if (!named || named.sub !== row.sub) throw invalidSession();
    } else {
      if (named || !state.unknownName || (await checkUnknownNameBeforePassword(ctx, pool, username)) !== state.unknownName) throw invalidSession();
    }
    // Wording unconfirmed: Cognito documents that ANSWER must be one of AvailableChallenges, not the error.
    if (!isFirstFactor(answer) || !state.available.includes(answer)) throw Errors.InvalidParameter(`${answer} is not available for the user.`);
    const needed = PARAMETERS[answer];
    if (needed && !responses[needed]) throw Errors.InvalidParameter(`Missing required parameter ${needed}`);
    await takeChallenge(ctx.store, ctx.clock, session, client, 'SELECT_CHALLENGE');
    return startFirstFactor(answer, responses, env, named, username);
  },
};
export default selectChallenge;

function parseState(text: string): SelectState | null {
  try {
    const s = JSON.parse(text) as Partial<SelectState>;
    if (!Array.isArray(s.available)) return null;
    const available = s.available.filter((f): f is FirstFactor => typeof f === 'string' && isFirstFactor(f));
    return { available, ...(typeof s.unknownName === 'string' ? { unknownName: s.unknownName } : {}) };
  } catch {
    return null;
  }
}
