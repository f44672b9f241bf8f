import { checkSecretHash, findUserBySignInName, signInNameHolders } from '../services/lookups.ts';
import type { User } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import { noteChallenge } from '../services/auth-events.ts';
import { peekChallenge, takeChallenge } from '../services/challenges.ts';
import { acceptTotp, codeMatches, parseState } from '../services/mfa.ts';
import { codeGuessRight, finishSignIn, prepareSignInCompletion, takeCodeGuess } from '../services/sign-in.ts';
import type { AuthStep } from '../services/auth-step.ts';
import type { Store } from '../store/store.ts';
import type { FlowEnv, Params } from './flow.ts';

// Not a challenge handler itself (no default export): the shared answer to
// SMS_MFA, EMAIL_OTP and SOFTWARE_TOKEN_MFA. The Session must be open, of
// this client and challenge, and USERNAME must name its user. A wrong code
// counts toward the user's lockout exactly as a wrong password does (five
// lock the account) and leaves the Session open for another try; a right one
// takes the Session (single use) and completes the sign-in. SMS and email
// codes are bound to the Session they were sent for, so a code from another
// sign-in never matches.
export async function answerMfaCode(
  challenge: 'SMS_MFA' | 'EMAIL_OTP' | 'SOFTWARE_TOKEN_MFA',
  codeKey: string,
  responses: Params,
  session: string | undefined,
  env: FlowEnv,
): Promise<AuthStep> {
  const { ctx, pool, client } = env;
  const username = responses['USERNAME'];
  if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
  checkSecretHash(client, username, responses['SECRET_HASH']);
  const code = responses[codeKey];
  if (!code) throw Errors.InvalidParameter(`Missing required parameter ${codeKey}`);
  const open = await peekChallenge(ctx.store, ctx.clock, session, client, challenge);
  const user = await findUserBySignInName(ctx.store, pool, username);
  if (!user || user.sub !== open.sub) throw Errors.NotAuthorized('Invalid session for the user.');
  if (!user.enabled || user.status === 'ARCHIVED') throw Errors.NotAuthorized('User is disabled.');
  // Counted before the comparison (refused while locked), so a burst of parallel guesses cannot outrun the lockout.
  await takeCodeGuess(ctx, user);
  const state = parseState(open.state);
  const right = challenge === 'SOFTWARE_TOKEN_MFA' ? await acceptTotp(ctx, user, code) : codeMatches(ctx, user.sub, state, code);
  noteChallenge(ctx, 'Mfa', right);
  if (!right) throw Errors.CodeMismatch('Invalid code or auth state for the user.');
  // The right code gives its guess back, so the count is as it was when `user` was read.
  await codeGuessRight(ctx, user);
  // The functions (post authentication, pre token generation) are asked before the transaction that takes the session.
  const signedIn = state.setupEmail ? withVerifiedEmail(ctx.clock.now(), user, state.setupEmail) : user;
  const completion = await prepareSignInCompletion(ctx, pool, client, signedIn, state.signals);
  return ctx.store.transaction(async (tx) => {
    await takeChallenge(tx, ctx.clock, session, client, challenge);
    if (state.setupEmail) await finishEmailSetup(tx, env, signedIn, state.setupEmail);
    // finishSignIn clears the lockout count (this user was read after the failures).
    return finishSignIn({ ...ctx, store: tx }, pool, client, signedIn, state.signals, completion);
  });
}

/** The user as email MFA setup leaves them: the proven address their email, verified. */
function withVerifiedEmail(now: number, user: User, email: string): User {
  return { ...user, attributes: { ...user.attributes, email, email_verified: 'true' }, updatedAt: now };
}

/**
 * EMAIL_OTP after MFA_SETUP with EMAIL: the right code proves the address, so
 * it becomes the user's email, verified (replacing any value waiting for
 * verification), and email MFA is turned on. Checked again here that no one
 * else signs in with it meanwhile.
 */
async function finishEmailSetup(tx: Store, { ctx, pool }: FlowEnv, user: User, email: string): Promise<void> {
  if ((await signInNameHolders(tx, pool, 'email', email, user.sub))?.users.length) throw Errors.AliasExists('An account with the given email already exists.');
  const now = ctx.clock.now();
  await tx.users.setAttributes(pool.id, user.sub, { email, email_verified: 'true' });
  await tx.users.clearPendingAttributes(user.sub, ['email']);
  await tx.users.update(user.sub, {}, now);
  await tx.mfa.upsert(user.sub, pool.id, { email_enabled: 1 }, now);
}
