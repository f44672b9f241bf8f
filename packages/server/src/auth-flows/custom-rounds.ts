import { preventsUserExistenceErrors } from '../domain/client-settings.ts';
import type { User } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { AuthStep } from '../services/auth-step.ts';
import { openChallenge } from '../services/challenges.ts';
import { afterFirstFactor, completeSignIn } from '../services/sign-in.ts';
import { booleanOf, runTrigger, stringMapOf, stringOf, unrecognizable, type TriggerResponse } from '../triggers/run-trigger.ts';
import type { FlowEnv } from './flow.ts';
import { eventAttributesOf } from '../triggers/user-attributes.ts';

// Not a flow or challenge handler itself (no default export): the rounds of
// CUSTOM_AUTH (developer guide, "Custom authentication challenge Lambda
// triggers"). Each round asks DefineAuthChallenge what comes next, given the
// session so far: fail (NotAuthorizedException), issue tokens, check the
// password by SRP (right after SRP_A only), or a CUSTOM_CHALLENGE, which
// CreateAuthChallenge makes and VerifyAuthChallengeResponse later judges
// (challenges/custom-challenge.ts). The session list travels in the
// challenge row (services/challenges.ts): the client only ever holds an
// opaque, single-use Session. The private challenge parameters (often the
// answer itself) are sealed there, bound to the row's client and user.

/** One entry of the event's `session` list, in Cognito's shape. */
export interface ChallengeResult {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata: string | null;
}

/** Who the sign-in is for: a user, or (PreventUserExistenceErrors ENABLED) a name that matches no one. */
export interface Subject {
  user: User | null;
  /** The event's userName: the user's username, or the name as given. */
  name: string;
}

/** What a CUSTOM_CHALLENGE row keeps until its answer. */
export interface CustomChallengeState {
  name: string;
  results: ChallengeResult[];
  /** privateChallengeParameters, sealed (PRIVATE_PURPOSE, privateContext). */
  sealedPrivate: string;
  challengeMetadata: string | null;
}

/**
 * A bound on one sign-in's session list (challenges answered, SRP steps
 * included), Cognate's own: Cognito documents none. When the list is full the
 * sign-in fails as a refused one does, without asking Define again, so a
 * function that never decides cannot keep a sign-in open forever.
 */
export const MAX_ROUNDS = 50;

export const PRIVATE_PURPOSE = 'custom-challenge-private';
export const privateContext = (clientId: string, sub: string | null, name: string): string => `${clientId}\n${sub ?? ''}\n${name}`;

export const incorrect = () => Errors.NotAuthorized('Incorrect username or password.');

/**
 * A user the custom flow may serve at all: a disabled account or one not yet
 * confirmed is refused before any function runs, as password flows refuse it
 * after the password (here no password need ever come).
 */
export function checkCustomAuthUser(user: User): void {
  if (!user.enabled || user.status === 'ARCHIVED') throw Errors.NotAuthorized('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw Errors.UserNotConfirmed('User is not confirmed.');
}

/** The request members every challenge trigger shares. */
function commonRequest({ pool, client, clientMetadata }: FlowEnv, subject: Subject): Record<string, unknown> {
  const userAttributes = subject.user ? eventAttributesOf(pool, subject.user) : {};
  return {
    userAttributes,
    // Only RespondToAuthChallenge's ClientMetadata reaches these functions (API reference, InitiateAuth: "ClientMetadata").
    ...(clientMetadata ? { clientMetadata } : {}),
    // Documented as populated when PreventUserExistenceErrors is ENABLED.
    ...(preventsUserExistenceErrors(client) ? { userNotFound: subject.user === null } : {}),
  };
}

function challengeTrigger(
  env: FlowEnv,
  subject: Subject,
  trigger: 'DefineAuthChallenge' | 'CreateAuthChallenge' | 'VerifyAuthChallengeResponse',
  request: Record<string, unknown>,
  response: Record<string, unknown>,
): Promise<TriggerResponse> {
  const source = trigger === 'VerifyAuthChallengeResponse' ? 'VerifyAuthChallengeResponse_Authentication' : `${trigger}_Authentication`;
  return runTrigger(env.ctx, env.pool, {
    trigger,
    triggerSource: source,
    userName: subject.name,
    clientId: env.client.clientId,
    request: { ...commonRequest(env, subject), ...request },
    response,
  }).then((r) => {
    // Define is checked for at the start; Create and Verify must be there when a custom challenge is asked for.
    if (r === null) throw Errors.InvalidParameter(`${trigger} lambda trigger is not configured for the user pool.`);
    return r;
  });
}

export type DefineDecision = { kind: 'fail' } | { kind: 'tokens' } | { kind: 'challenge'; name: string };

/** Asks DefineAuthChallenge what follows `results`. */
export async function define(env: FlowEnv, subject: Subject, results: ChallengeResult[]): Promise<DefineDecision> {
  const response = await challengeTrigger(
    env,
    subject,
    'DefineAuthChallenge',
    { session: results },
    { challengeName: null, issueTokens: null, failAuthentication: null },
  );
  if (booleanOf(response, 'failAuthentication')) return { kind: 'fail' };
  if (booleanOf(response, 'issueTokens')) return { kind: 'tokens' };
  const name = stringOf(response, 'challengeName');
  // Neither an end nor a next challenge: nothing Cognate could present.
  if (!name) throw unrecognizable();
  return { kind: 'challenge', name };
}

/** Asks VerifyAuthChallengeResponse whether `answer` is right. */
export async function verify(env: FlowEnv, subject: Subject, privateParams: Record<string, string>, answer: string): Promise<boolean> {
  const request = { privateChallengeParameters: privateParams, challengeAnswer: answer };
  return booleanOf(await challengeTrigger(env, subject, 'VerifyAuthChallengeResponse', request, { answerCorrect: null }), 'answerCorrect');
}

/**
 * The next round after `results` (which end with the answer just judged):
 * DefineAuthChallenge decides; a CUSTOM_CHALLENGE is made by
 * CreateAuthChallenge and handed out with a fresh Session. PASSWORD_VERIFIER
 * is handled by the flow's start (it may follow SRP_A only).
 */
export async function nextRound(env: FlowEnv, subject: Subject, results: ChallengeResult[], deviceKey: string | undefined): Promise<AuthStep> {
  if (results.length >= MAX_ROUNDS) throw incorrect();
  const decision = await define(env, subject, results);
  return act(env, subject, results, decision, deviceKey);
}

/** Carries out what DefineAuthChallenge decided. */
export async function act(
  env: FlowEnv,
  subject: Subject,
  results: ChallengeResult[],
  decision: DefineDecision,
  deviceKey: string | undefined,
): Promise<AuthStep> {
  if (decision.kind === 'fail') throw incorrect();
  if (decision.kind === 'tokens') return issueTokens(env, subject, results, deviceKey);
  if (decision.name !== 'CUSTOM_CHALLENGE') throw unrecognizable();
  return customChallenge(env, subject, results);
}

async function customChallenge(env: FlowEnv, subject: Subject, results: ChallengeResult[]): Promise<AuthStep> {
  const { ctx, client } = env;
  const request = { challengeName: 'CUSTOM_CHALLENGE', session: results };
  const response = await challengeTrigger(env, subject, 'CreateAuthChallenge', request, {
    publicChallengeParameters: null,
    privateChallengeParameters: null,
    challengeMetadata: null,
  });
  const publicParams = stringMapOf(response, 'publicChallengeParameters') ?? {};
  const privateParams = stringMapOf(response, 'privateChallengeParameters') ?? {};
  const challengeMetadata = stringOf(response, 'challengeMetadata');
  const sealedPrivate = ctx.master.seal(
    PRIVATE_PURPOSE,
    privateContext(client.clientId, subject.user?.sub ?? null, subject.name),
    JSON.stringify(privateParams),
  );
  const state: CustomChallengeState = { name: subject.name, results, sealedPrivate, challengeMetadata };
  const session = await openChallenge(ctx.store, ctx, { client, user: subject.user, challenge: 'CUSTOM_CHALLENGE', state: { ...state } });
  return {
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: session,
    // Cognito adds USERNAME: the user's username (amazon-cognito-identity-js answers with it).
    ChallengeParameters: { ...publicParams, USERNAME: subject.name },
  };
}

/**
 * Tokens, through the sign-in's usual end. After a password proven by SRP
 * the steps that follow a password follow here too (a new password, a
 * remembered device, MFA), as Cognito applies MFA after PASSWORD_VERIFIER;
 * a sign-in that never proved a password goes straight to tokens, as
 * Cognito runs no MFA in a passwordless custom flow. A name matching no one
 * never gets tokens, whatever the function says.
 */
async function issueTokens(env: FlowEnv, subject: Subject, results: ChallengeResult[], deviceKey: string | undefined): Promise<AuthStep> {
  const { ctx, pool, client } = env;
  if (!subject.user) throw incorrect();
  // Read again: the account may have been disabled while the challenges ran.
  const user = await ctx.store.users.bySub(subject.user.sub);
  if (!user) throw incorrect();
  checkCustomAuthUser(user);
  const passwordProven = results.some((r) => r.challengeName === 'PASSWORD_VERIFIER' && r.challengeResult);
  if (passwordProven) return afterFirstFactor(ctx, pool, client, user, { deviceKey });
  return completeSignIn(ctx, pool, client, user, { deviceKey });
}
