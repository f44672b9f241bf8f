import { burnPasswordCheck, MAX_PASSWORD_LENGTH, needsRehash, verifyPassword } from '../crypto/passwords.ts';
import { preventsUserExistenceErrors, type AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User, UserPatch } from '../domain/user.ts';
import { Errors, type CognitoError } from '../errors/cognito-error.ts';
import { findUserBySignInName } from '../cognito-api/lookups.ts';
import type { Context } from '../cognito-api/operation.ts';
import { openChallenge } from './challenges.ts';
import { passwordMaterial, srpMaterial } from './password-material.ts';
import type { AuthenticationResult } from './tokens.ts';

const LOCK_AFTER = 5;
const MAX_LOCK_MS = 15 * 60_000;
const FORGET_AFTER_MS = 15 * 60_000;
const HARD_STOP = 100;

export type AuthStep =
  | { ChallengeName: string; Session: string; ChallengeParameters: Record<string, string> }
  // PASSWORD_VERIFIER comes without a Session, as from Cognito: its SECRET_BLOCK is the handle.
  | { ChallengeName: string; ChallengeParameters: Record<string, string> }
  | { ChallengeParameters: Record<string, string>; AuthenticationResult: AuthenticationResult };

const incorrect = () => Errors.NotAuthorized('Incorrect username or password.');

/** Cognito's lockout: five failures lock for 1 s, doubling per further failure up to ~15 min. */
export function lockoutAfterFailure(user: User, now: number): { failedAttempts: number; lockedUntil: number | null; resetRequired: boolean } {
  const stale = user.lastFailedAt === null || now - user.lastFailedAt > FORGET_AFTER_MS;
  return lockoutFor((stale ? 0 : user.failedAttempts) + 1, now);
}

function lockoutFor(failedAttempts: number, now: number): { failedAttempts: number; lockedUntil: number | null; resetRequired: boolean } {
  const lockedUntil = failedAttempts >= LOCK_AFTER ? now + Math.min(1000 * 2 ** (failedAttempts - LOCK_AFTER), MAX_LOCK_MS) : null;
  return { failedAttempts, lockedUntil, resetRequired: failedAttempts >= HARD_STOP };
}

/**
 * Records a failed password or code for the lockout schedule, outside any
 * transaction so it sticks. The count is incremented in the database, so
 * failures sent in parallel all count.
 */
export async function recordFailure(ctx: Context, user: User): Promise<void> {
  const now = ctx.clock.now();
  const counted = await ctx.store.users.countFailure(user.sub, now, FORGET_AFTER_MS);
  if (!counted) return;
  const next = lockoutFor(counted.recent, now);
  const resetRequired = counted.consecutive >= HARD_STOP;
  if (next.lockedUntil !== null || resetRequired) await ctx.store.users.lockUntil(user.sub, next.lockedUntil ?? now, resetRequired);
}

/** A sign-in name that names no user: with PreventUserExistenceErrors ENABLED, the same answer as a wrong password. */
export function unknownUserError(client: AppClient): CognitoError {
  return preventsUserExistenceErrors(client) ? incorrect() : Errors.UserNotFound('User does not exist.');
}

/** What is refused before any password (or SRP proof) is looked at: a locked account, one awaiting a reset. */
export function checkBeforePassword(user: User, now: number): void {
  if (user.lockedUntil !== null && user.lockedUntil > now) throw Errors.NotAuthorized('Password attempts exceeded');
  if (user.status === 'RESET_REQUIRED') throw Errors.PasswordResetRequired('Password reset required for the user');
}

/** A wrong password or SRP claim: counted for the lockout, then Cognito's answer. */
export async function passwordRefused(ctx: Context, user: User): Promise<never> {
  await recordFailure(ctx, user);
  throw incorrect();
}

/**
 * After a correct password or SRP claim, shared by every password-based
 * first factor: the user's status may still refuse the sign-in (checked only
 * now, so it tells nothing to someone without the password); otherwise the
 * lockout count is cleared and `refresh` (a rehash, a missing SRP verifier)
 * is stored with it.
 */
export async function passwordAccepted(ctx: Context, user: User, refresh: () => Promise<UserPatch> | UserPatch = () => ({})): Promise<User> {
  const now = ctx.clock.now();
  if (!user.enabled) throw Errors.NotAuthorized('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw Errors.UserNotConfirmed('User is not confirmed.');
  if (user.status === 'FORCE_CHANGE_PASSWORD' && user.tempPasswordExpiresAt !== null && user.tempPasswordExpiresAt <= now) {
    throw Errors.NotAuthorized('Temporary password has expired and must be reset by an administrator.');
  }
  const patch: UserPatch = { ...(user.failedAttempts || user.lastFailedAt !== null || user.lockedUntil !== null ? { failedAttempts: 0, lastFailedAt: null, lockedUntil: null } : {}), ...(await refresh()) };
  // Most sign-ins change nothing here: no write (and no fsync) for them.
  if (Object.keys(patch).length) await ctx.store.users.update(user.sub, patch, now);
  return { ...user, ...patch };
}

/**
 * The password check of USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH:
 * lookup, lockout, password, then the user's status. With
 * PreventUserExistenceErrors ENABLED an unknown user costs the same hashing
 * work and gets the same answer as a wrong password. A user whose password
 * predates SRP verifiers gets one here, as does a hash due for new parameters.
 */
export async function checkPasswordSignIn(ctx: Context, pool: Pool, client: AppClient, username: string, password: string): Promise<User> {
  // Every refusal costs one password hash, so response times do not tell an
  // unknown, locked or over-long-password attempt from a wrong password.
  if (password.length > MAX_PASSWORD_LENGTH) {
    await burnPasswordCheck(password);
    throw incorrect();
  }
  const user = await findUserBySignInName(ctx.store, pool, username);
  if (!user) {
    await burnPasswordCheck(password);
    throw unknownUserError(client);
  }
  try {
    checkBeforePassword(user, ctx.clock.now());
  } catch (err) {
    await burnPasswordCheck(password);
    throw err;
  }
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, password))) return passwordRefused(ctx, user);
  const hash = user.passwordHash;
  return passwordAccepted(ctx, user, async () => {
    if (needsRehash(hash)) return passwordMaterial(ctx.master, pool, user, password);
    return user.srpVerifierSealed ? {} : srpMaterial(ctx.master, pool, user, password);
  });
}

/** What follows a successful first factor: a new-password challenge for FORCE_CHANGE_PASSWORD users, else tokens. */
export async function afterFirstFactor(ctx: Context, pool: Pool, client: AppClient, user: User): Promise<AuthStep> {
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    const session = await openChallenge(ctx.store, ctx, { client, user, challenge: 'NEW_PASSWORD_REQUIRED' });
    // Cognito lists the user's attributes (the *_verified flags included, sub left out) and the required ones still missing.
    const visible = Object.fromEntries(Object.entries(user.attributes).filter(([n]) => n !== 'sub'));
    const required = (pool.settings.SchemaAttributes ?? []).filter((a) => a.Required && a.Name !== 'sub' && !user.attributes[a.Name ?? '']).map((a) => `userAttributes.${a.Name}`);
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeParameters: { USER_ID_FOR_SRP: user.username, requiredAttributes: JSON.stringify(required), userAttributes: JSON.stringify(visible) },
    };
  }
  return { ChallengeParameters: {}, AuthenticationResult: await ctx.tokens.signIn(ctx.store, pool, client, user) };
}
