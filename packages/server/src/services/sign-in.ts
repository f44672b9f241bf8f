import type { PreparedSignIn } from './tokens.ts';
import { burnPasswordCheck, MAX_PASSWORD_LENGTH, needsRehash, verifyPassword } from '../crypto/passwords.ts';
import { preventsUserExistenceErrors, type AppClient } from '../domain/client-settings.ts';
import type { Pool } from '../domain/pool-settings.ts';
import type { User, UserPatch } from '../domain/user.ts';
import { Errors, type CognitoError } from '../errors/cognito-error.ts';
import { findUserBySignInName, usernameKey } from './lookups.ts';
import type { Context } from '../context.ts';
import { noteAuthEvent, noteChallenge } from './auth-events.ts';
import { openChallenge } from './challenges.ts';
import { deviceStep, newDeviceMetadata } from './devices.ts';
import { mfaStep } from './mfa.ts';
import { passwordMaterial, srpMaterial } from './password-material.ts';
import type { AuthStep, SignInSignals } from './auth-step.ts';
import { postAuthentication } from '../triggers/authentication.ts';
import { preTokenGeneration } from '../triggers/pre-token-generation.ts';

const LOCK_AFTER = 5;
const MAX_LOCK_MS = 15 * 60_000;
const FORGET_AFTER_MS = 15 * 60_000;
const HARD_STOP = 100;

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

/**
 * Takes one guess at a one-time code (an MFA code, a passwordless sign-in
 * code) before it is compared: refused with Cognito's lockout answer while
 * the account is locked, otherwise counted as a failure up front together
 * with the lock that count earns, so parallel guesses cannot outrun the
 * schedule. A right code gives the guess back (`codeGuessRight`), as does a
 * completed sign-in (which clears the count).
 */
export async function takeCodeGuess(ctx: Context, user: User): Promise<void> {
  const now = ctx.clock.now();
  // The lock for each count from the cap down to the first lock (2^10 s already exceeds the 15-minute cap).
  const schedule = [];
  for (let n = LOCK_AFTER + 10; n >= LOCK_AFTER; n--) schedule.push({ atLeast: n, until: lockoutFor(n, now).lockedUntil ?? now });
  const counted = await ctx.store.users.reserveGuess(user.sub, now, FORGET_AFTER_MS, schedule);
  if (!counted) throw Errors.NotAuthorized('Password attempts exceeded');
  if (counted.consecutive >= HARD_STOP) await ctx.store.users.lockUntil(user.sub, now, true);
}

/** A code guessed right: the guess `takeCodeGuess` counted is given back. */
export async function codeGuessRight(ctx: Context, user: User): Promise<void> {
  await ctx.store.users.releaseGuess(user.sub, LOCK_AFTER);
}

/** A sign-in name that names no user: with PreventUserExistenceErrors ENABLED, the same answer as a wrong password. */
export function unknownUserError(client: AppClient): CognitoError {
  return preventsUserExistenceErrors(client) ? incorrect() : Errors.UserNotFound('User does not exist.');
}

/**
 * What is refused before any password (or SRP proof) is looked at: a locked
 * account, one awaiting a reset. With PreventUserExistenceErrors ENABLED (pass
 * the client) an account awaiting a reset answers as a wrong password, as
 * Cognito does for imported users (developer guide, "Managing user existence
 * error responses"): PasswordResetRequiredException would confirm the account.
 */
export function checkBeforePassword(user: User, now: number, client?: AppClient): void {
  if (user.lockedUntil !== null && user.lockedUntil > now) throw Errors.NotAuthorized('Password attempts exceeded');
  const resetRequired = () =>
    client && preventsUserExistenceErrors(client) ? incorrect() : Errors.PasswordResetRequired('Password reset required for the user');
  if (user.status === 'RESET_REQUIRED') throw resetRequired();
  // Credentials known to be exposed (services/lifecycle.ts): only a reset lets the user in again.
  if (user.status === 'COMPROMISED') throw resetRequired();
}

/** The key an unknown sign-in name's failures are counted under: a MAC, so mistyped names are not stored. */
const unknownNameKey = (ctx: Context, pool: Pool, name: string): string => ctx.master.mac('unknown-sign-in-name', `${pool.id}\n${usernameKey(pool, name)}`);

/**
 * The simulated lockout of a sign-in name that matches no user, for clients
 * with PreventUserExistenceErrors ENABLED. Without it "Password attempts
 * exceeded" would appear only for real accounts, and five wrong guesses
 * would tell an attacker which names exist. Failures under the name are
 * counted (unknown_name_failures) on the same schedule as a real account's;
 * past the hard stop the name answers as an account awaiting a reset does
 * under ENABLED: a wrong password, forever. Returns the key to count under.
 */
export async function checkUnknownNameBeforePassword(ctx: Context, pool: Pool, name: string): Promise<string> {
  const key = unknownNameKey(ctx, pool, name);
  await checkUnknownNameKey(ctx, key);
  return key;
}

async function checkUnknownNameKey(ctx: Context, key: string): Promise<void> {
  const row = await ctx.store.unknownNames.failures(key);
  if (row) {
    const now = ctx.clock.now();
    const last = Number(row.last_failed_at);
    const recent = now - last > FORGET_AFTER_MS ? 0 : Number(row.failed_attempts);
    const { lockedUntil } = lockoutFor(recent, last);
    if (recent >= LOCK_AFTER && lockedUntil !== null && lockedUntil > now) throw Errors.NotAuthorized('Password attempts exceeded');
    if (Number(row.consecutive_failures) >= HARD_STOP) throw incorrect();
  }
}

/**
 * A wrong password (or SRP claim) under an unknown name, ENABLED: refused as
 * a real account's would be at that point (a lockout that began meanwhile
 * included), counted, answered the same.
 */
export async function unknownNameRefused(ctx: Context, key: string): Promise<never> {
  await checkUnknownNameKey(ctx, key);
  await ctx.store.unknownNames.countFailure(key, ctx.clock.now(), FORGET_AFTER_MS, HARD_STOP);
  throw incorrect();
}

/** A wrong password or SRP claim: counted for the lockout, then Cognito's answer. */
export async function passwordRefused(ctx: Context, user: User): Promise<never> {
  noteChallenge(ctx, 'Password', false);
  await recordFailure(ctx, user);
  throw incorrect();
}

/**
 * After a correct password or SRP claim, shared by every password-based
 * first factor: the user's status may still refuse the sign-in (checked only
 * now, so it tells nothing to someone without the password); otherwise
 * `refresh` (a rehash, a missing SRP verifier) is stored.
 */
export async function passwordAccepted(ctx: Context, user: User, refresh: () => Promise<UserPatch> | UserPatch = () => ({})): Promise<User> {
  noteChallenge(ctx, 'Password', true);
  const now = ctx.clock.now();
  if (!user.enabled) throw Errors.NotAuthorized('User is disabled.');
  // An archived account answers as a disabled one: a message every client already handles, revealing nothing new.
  if (user.status === 'ARCHIVED') throw Errors.NotAuthorized('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw Errors.UserNotConfirmed('User is not confirmed.');
  if (user.status === 'FORCE_CHANGE_PASSWORD' && user.tempPasswordExpiresAt !== null && user.tempPasswordExpiresAt <= now) {
    throw Errors.NotAuthorized('Temporary password has expired and must be reset by an administrator.');
  }
  // The lockout count is NOT cleared here but in completeSignIn: cleared at the
  // password, each right password would buy fresh guesses at an MFA code (and
  // the hard stop would never come).
  const patch: UserPatch = await refresh();
  // Most sign-ins change nothing here: no write (and no fsync) for them.
  if (Object.keys(patch).length) await ctx.store.users.update(user.sub, patch, now);
  return { ...user, ...patch };
}

/**
 * The UserMigration trigger's offer for a name that matches no user
 * (triggers/user-migration.ts): the user it created, 'declined' when the
 * function returned no attributes, null when the pool has no such trigger.
 */
export type MigrateUnknown = (name: string, password: string) => Promise<User | 'declined' | null>;

/**
 * The password check of USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH:
 * lookup, lockout, password, then the user's status. With
 * PreventUserExistenceErrors ENABLED an unknown user costs the same hashing
 * work and gets the same answer as a wrong password. A user whose password
 * predates SRP verifiers gets one here, as does a hash due for new parameters.
 * `migrate`: the password flows that may migrate an unknown user pass it.
 */
export async function checkPasswordSignIn(
  ctx: Context,
  pool: Pool,
  client: AppClient,
  username: string,
  password: string,
  migrate?: MigrateUnknown,
): Promise<User> {
  // Every refusal costs one password hash, so response times do not tell an
  // unknown, locked or over-long-password attempt from a wrong password.
  if (password.length > MAX_PASSWORD_LENGTH) {
    await burnPasswordCheck(password);
    throw incorrect();
  }
  const user = await findUserBySignInName(ctx.store, pool, username);
  if (!user) {
    const migrated = migrate ? await migrate(username, password) : null;
    if (migrated !== null && migrated !== 'declined') return migratedSignIn(ctx, client, migrated);
    // A function that knows no such user: Cognito's words, or under ENABLED the wrong-password answer below.
    if (migrated === 'declined' && !preventsUserExistenceErrors(client)) throw Errors.UserNotFound(`Exception migrating user in app client ${client.clientId}`);
    if (!preventsUserExistenceErrors(client)) {
      await burnPasswordCheck(password);
      throw unknownUserError(client);
    }
    let key: string;
    try {
      key = await checkUnknownNameBeforePassword(ctx, pool, username);
    } finally {
      await burnPasswordCheck(password);
    }
    return unknownNameRefused(ctx, key);
  }
  noteAuthEvent(ctx, user, 'SignIn');
  try {
    checkBeforePassword(user, ctx.clock.now(), client);
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

/**
 * A user just migrated with the password they signed in with: no password to
 * check, but the status the function chose still decides (RESET_REQUIRED
 * answers as for an imported user).
 */
function migratedSignIn(ctx: Context, client: AppClient, user: User): Promise<User> {
  noteAuthEvent(ctx, user, 'SignIn');
  checkBeforePassword(user, ctx.clock.now(), client);
  return passwordAccepted(ctx, user);
}

/**
 * What follows a successful first factor, in Cognito's order: a new-password
 * challenge for FORCE_CHANGE_PASSWORD users; else a remembered device's own
 * SRP proof (which stands in for MFA); else an MFA challenge when one
 * applies; else tokens.
 */
export async function afterFirstFactor(ctx: Context, pool: Pool, client: AppClient, user: User, signals: SignInSignals = {}): Promise<AuthStep> {
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    const session = await openChallenge(ctx.store, ctx, { client, user, challenge: 'NEW_PASSWORD_REQUIRED' });
    // Cognito lists the user's attributes (the *_verified flags included, sub left out) and the required ones still missing.
    const visible = Object.fromEntries(Object.entries(user.attributes).filter(([n]) => n !== 'sub'));
    const required = (pool.settings.SchemaAttributes ?? [])
      .filter((a) => a.Required && a.Name !== 'sub' && !user.attributes[a.Name ?? ''])
      .map((a) => `userAttributes.${a.Name}`);
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeParameters: { USER_ID_FOR_SRP: user.username, requiredAttributes: JSON.stringify(required), userAttributes: JSON.stringify(visible) },
    };
  }
  const device = await deviceStep(ctx, pool, client, user, signals);
  if (device) return device;
  const mfa = await mfaStep(ctx, pool, client, user, signals);
  if (mfa) return mfa;
  return completeSignIn(ctx, pool, client, user, signals);
}

/** Tokens for a user who passed every step, with NewDeviceMetadata when the pool tracks devices. */
export async function completeSignIn(ctx: Context, pool: Pool, client: AppClient, user: User, signals: SignInSignals = {}): Promise<AuthStep> {
  return finishSignIn(ctx, pool, client, user, signals, await prepareSignInCompletion(ctx, pool, client, user, signals));
}

/** What the functions decided about a completing sign-in: the tokens' claims (null on the managed-login pages, which issue none here). */
export type SignInCompletion = { tokens: PreparedSignIn | null };

/**
 * completeSignIn's first half: the post authentication trigger, then the
 * first tokens' claims through the pre token generation trigger. Nothing is
 * written, so a caller that finishes the sign-in inside a transaction (an
 * MFA answer taking its session) asks the functions before opening it and
 * never holds the database while a function runs (up to five seconds).
 */
export async function prepareSignInCompletion(ctx: Context, pool: Pool, client: AppClient, user: User, signals: SignInSignals = {}): Promise<SignInCompletion> {
  // Every step passed; the post authentication trigger may still fail the sign-in, before anything is issued or cleared.
  await postAuthentication(ctx, pool, client, user, signals);
  if (ctx.hostedSignIn) return { tokens: null };
  const hook = preTokenGeneration(ctx, signals.tokenSource ?? 'Authentication', ctx.clientMetadata);
  return { tokens: await ctx.tokens.prepareSignIn(ctx.store, pool, client, user, hook) };
}

/** completeSignIn's second half, in the caller's transaction when it has one: the lockout cleared, the token family stored and signed, the device. */
export async function finishSignIn(
  ctx: Context,
  pool: Pool,
  client: AppClient,
  user: User,
  signals: SignInSignals,
  completion: SignInCompletion,
): Promise<AuthStep> {
  // A successful sign-in (every step passed) resets the lockout count, as Cognito's does.
  if (user.failedAttempts || user.lastFailedAt !== null || user.lockedUntil !== null) {
    await ctx.store.users.update(user.sub, { failedAttempts: 0, lastFailedAt: null, lockedUntil: null }, ctx.clock.now());
  }
  if (!completion.tokens) return { ChallengeParameters: {}, Authenticated: user };
  const result = await ctx.tokens.completeSignIn(ctx.store, completion.tokens);
  const device = await newDeviceMetadata(ctx, pool, client, user, signals);
  return { ChallengeParameters: {}, AuthenticationResult: device ? { ...result, NewDeviceMetadata: device } : result };
}
