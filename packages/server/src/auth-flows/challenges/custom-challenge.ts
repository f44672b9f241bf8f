import { Errors } from '../../errors/cognito-error.ts';
import { peekChallenge, takeChallenge } from '../../services/challenges.ts';
import { checkSecretHash, findUserBySignInName, usernameKey } from '../../services/lookups.ts';
import {
  checkCustomAuthUser,
  nextRound,
  PRIVATE_PURPOSE,
  privateContext,
  verify,
  type ChallengeResult,
  type CustomChallengeState,
  type Subject,
} from '../custom-rounds.ts';
import type { ChallengeHandler, FlowEnv } from '../flow.ts';

const invalidSession = () => Errors.NotAuthorized('Invalid session for the user.');

// CUSTOM_CHALLENGE: the answer (ANSWER) to a challenge CreateAuthChallenge
// made. The Session must be open, of this client, and USERNAME must name the
// user it was made for; it is then taken (single use: a replay, or a second
// answer sent in parallel, is "Invalid session for the user."), the answer is
// judged by VerifyAuthChallengeResponse with the private parameters kept
// here, and DefineAuthChallenge decides the next round with the result
// appended. A wrong answer does not count toward the password lockout
// (Cognito's custom flow has none: the Define function owns its retries),
// and RespondToAuthChallenge's ClientMetadata reaches all three functions.
const customChallenge: ChallengeHandler = {
  name: 'CUSTOM_CHALLENGE',
  async respond(responses, session, env) {
    const { ctx, client } = env;
    const username = responses['USERNAME'];
    if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
    checkSecretHash(client, username, responses['SECRET_HASH']);
    const answer = responses['ANSWER'];
    if (answer === undefined) throw Errors.InvalidParameter('Missing required parameter ANSWER');

    const open = await peekChallenge(ctx.store, ctx.clock, session, client, 'CUSTOM_CHALLENGE');
    const state = parseState(open.state);
    if (!state) throw invalidSession();
    const subject = await subjectOf(env, open.sub, state, username);
    await takeChallenge(ctx.store, ctx.clock, session, client, 'CUSTOM_CHALLENGE');

    const privateParams = openPrivate(env, open.sub, state);
    const correct = await verify(env, subject, privateParams, answer);
    const result: ChallengeResult = { challengeName: 'CUSTOM_CHALLENGE', challengeResult: correct, challengeMetadata: state.challengeMetadata };
    return nextRound(env, subject, [...state.results, result], responses['DEVICE_KEY']);
  },
};
export default customChallenge;

/** The user (or unknown name) the session was made for, if USERNAME names them. */
async function subjectOf({ ctx, pool }: FlowEnv, sub: string | null, state: CustomChallengeState, username: string): Promise<Subject> {
  if (sub === null) {
    // A simulated sign-in (PreventUserExistenceErrors ENABLED): the same name again.
    if (usernameKey(pool, username) !== usernameKey(pool, state.name)) throw invalidSession();
    return { user: null, name: state.name };
  }
  const user = await findUserBySignInName(ctx.store, pool, username);
  if (!user || user.sub !== sub) throw invalidSession();
  checkCustomAuthUser(user);
  return { user, name: user.username };
}

function parseState(raw: string): CustomChallengeState | null {
  const s = JSON.parse(raw) as Partial<CustomChallengeState>;
  if (typeof s.name !== 'string' || typeof s.sealedPrivate !== 'string' || !Array.isArray(s.results)) return null;
  return {
    name: s.name,
    results: s.results,
    sealedPrivate: s.sealedPrivate,
    challengeMetadata: typeof s.challengeMetadata === 'string' ? s.challengeMetadata : null,
  };
}

function openPrivate({ ctx, client }: FlowEnv, sub: string | null, state: CustomChallengeState): Record<string, string> {
  const plain = ctx.master.open(PRIVATE_PURPOSE, privateContext(client.clientId, sub, state.name), state.sealedPrivate);
  return JSON.parse(plain.toString('utf8')) as Record<string, string>;
}
