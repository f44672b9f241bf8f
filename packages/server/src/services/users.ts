import type { Context } from '../context.ts';
import type { AppClient } from '../domain/client-settings.ts';
import { assertRequiredPresent, validateAttributes, type AttributeInput } from '../domain/attributes.ts';
import type { CodeDeliveryDetails } from '../domain/masking.ts';
import { newUser, resolveNewUsername } from '../domain/new-user.ts';
import { generatePassword } from '../domain/password-policy.ts';
import { DEFAULT_INVITE_MESSAGE, DEFAULT_INVITE_SUBJECT, passwordPolicyOf, signUpCodeTarget, temporaryPasswordValidityMs, type Pool } from '../domain/pool-settings.ts';
import type { User } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';
import { noteAuthEvent } from './auth-events.ts';
import { checkCode, consumeCheckedCode } from './codes.ts';
import { signInNameHolders, usernameKey } from './lookups.ts';
import { renderTemplate } from './mailer.ts';
import { queueMessage, sendCode } from './messages.ts';
import { passwordMaterial } from './password-material.ts';
import { assertNewPassword } from './password-rules.ts';

// Users: every creation, confirmation and password setting of a user goes
// through here, whatever asked for it (an API operation today; hosted
// sign-up, federation, import and the UserMigration trigger later). Each
// entry point is named by what it does and told by `source` who asked, which
// is what Lambda triggers will need (their triggerSource). The callers
// resolve the pool, client and user and shape the answer; the checks, the
// status transitions, the codes and the one transaction are here.
//
// Triggers, when they come, hook at the points marked "Trigger:" below.

/** Who asked for a new user. */
export type CreateSource = 'SignUp' | 'AdminCreateUser';

export interface CreateUserRequest {
  /** The name as given: the username, or the email/phone that becomes one (UsernameAttributes). */
  username: string;
  attributes: readonly AttributeInput[] | undefined;
  /** SignUp: the user's password (required). AdminCreateUser: the temporary password, generated to the pool's policy when absent. */
  password?: string | undefined;
  /** SignUp: the app client signing up through (its write permissions apply). */
  client?: AppClient;
  /** AdminCreateUser: move a verified alias held by another user to the new one. */
  forceAliasCreation?: boolean;
  /** AdminCreateUser: send the invitation (DesiredDeliveryMediums), or false to send none (SUPPRESS). */
  invite?: false | { mediums: string[] | undefined };
}

export interface CreatedUser {
  user: User;
  /** SignUp: where the confirmation code went, if one was sent. */
  delivery: CodeDeliveryDetails | null;
}

/**
 * Creates a user. SignUp: UNCONFIRMED, with the user's password, and a
 * confirmation code to the auto-verified contact. AdminCreateUser:
 * FORCE_CHANGE_PASSWORD with a temporary password, and the invitation.
 * Attributes are checked against the pool's schema, sign-in names for
 * uniqueness (before the slow hashing, and again inside the transaction,
 * where concurrent creations are serialized); the user, the displaced
 * aliases and the message are written in one transaction.
 */
export async function createUser(ctx: Context, pool: Pool, req: CreateUserRequest, { source }: { source: CreateSource }): Promise<CreatedUser> {
  const selfService = source === 'SignUp';
  const given = req.username;
  // Operators may write anything but sub, email_verified included; a user no *_verified.
  const attrs = selfService
    ? validateAttributes(pool, req.attributes, { who: 'user', creating: true, ...(req.client ? { client: req.client } : {}) })
    : validateAttributes(pool, req.attributes, { who: 'operator', creating: true });
  if (selfService && ('email_verified' in attrs || 'phone_number_verified' in attrs)) throw Errors.NotAuthorized('A client attempted to write unauthorized attribute');

  const sub = ctx.ids.uuid();
  const { username, signInAttribute } = resolveNewUsername(pool, given, sub);
  Object.assign(attrs, signInAttribute);
  assertRequiredPresent(pool, attrs);

  if (selfService) {
    if (!req.password) throw Errors.InvalidParameter('Password is required for this user pool.');
    await assertNewPassword(ctx.store, pool, req.password, { usernames: [username, given], attributes: attrs });
  } else if (req.password !== undefined) {
    await assertNewPassword(ctx.store, pool, req.password, { usernames: [username, given], attributes: attrs }, 'admin');
  }
  // Trigger: PreSignUp (PreSignUp_SignUp, PreSignUp_AdminCreateUser) here, once the request is known to be valid and before any name is claimed.

  const key = usernameKey(pool, username);
  const force = req.forceAliasCreation ?? false;
  // SignUp's wording for a taken name differs from AdminCreateUser's, and SignUp checks only the name it signs in with.
  const claimNames = async (store: Store): Promise<{ attr: string; sub: string }[]> => {
    if (selfService) {
      if (await store.users.byUsername(pool.id, key)) throw Errors.UsernameExists('User already exists');
      for (const [attr, value] of Object.entries(signInAttribute)) {
        if ((await store.users.byAttribute(pool.id, attr, value)).length) throw Errors.UsernameExists(`An account with the given ${attr} already exists.`);
      }
      return [];
    }
    if (await store.users.byUsername(pool.id, key)) throw Errors.UsernameExists('User account already exists');
    return claimSignInNames(store, pool, attrs, force);
  };
  await claimNames(ctx.store);

  const password = selfService ? req.password! : (req.password ?? generatePassword(passwordPolicyOf(pool), (alphabet, n) => ctx.ids.chars(alphabet, n)));
  const material = await passwordMaterial(ctx.master, pool, { sub, username }, password);
  const now = ctx.clock.now();
  const user = selfService
    ? newUser({ sub, poolId: pool.id, username, status: 'UNCONFIRMED', ...material, now, attributes: attrs })
    : newUser({ sub, poolId: pool.id, username, status: 'FORCE_CHANGE_PASSWORD', ...material, now, tempPasswordExpiresAt: now + temporaryPasswordValidityMs(pool), attributes: attrs });
  const target = selfService ? signUpCodeTarget(pool, attrs) : null;
  if (selfService) noteAuthEvent(ctx, user, 'SignUp');

  // Trigger: CustomMessage (CustomMessage_SignUp, CustomMessage_AdminCreateUser) shapes the message queued in the transaction.
  const delivery = await ctx.store.transaction(async (tx) => {
    const displaced = await claimNames(tx);
    await tx.users.insert(user, key);
    for (const { attr, sub: other } of displaced) await tx.users.setAttributes(pool.id, other, { [`${attr}_verified`]: 'false' });
    if (selfService) return target ? sendCode(ctx, tx, pool, user, 'signup', target) : null;
    if (req.invite) await invite(ctx, tx, pool, user, given, password, req.invite.mediums);
    return null;
  });
  // Trigger: none after creation itself; PostConfirmation runs at confirmUser.
  return { user, delivery };
}

/**
 * Email and phone that sign a user in must stay unique: a username attribute
 * already held is UsernameExistsException (SignUp's wording); a verified alias
 * already held is AliasExistsException, unless ForceAliasCreation moves the
 * alias to the new user (the old holder's value becomes unverified).
 */
async function claimSignInNames(store: Store, pool: Pool, attrs: Record<string, string>, force: boolean): Promise<{ attr: string; sub: string }[]> {
  const displaced: { attr: string; sub: string }[] = [];
  for (const attr of ['email', 'phone_number'] as const) {
    const value = attrs[attr];
    if (!value) continue;
    const holders = await signInNameHolders(store, pool, attr, value, null);
    if (!holders?.users.length) continue;
    const message = `An account with the given ${attr} already exists.`;
    if (holders.as === 'username') throw Errors.UsernameExists(message);
    if (attrs[`${attr}_verified`] !== 'true') continue;
    if (!force) throw Errors.AliasExists(message);
    displaced.push(...holders.users.map((u) => ({ attr, sub: u.sub })));
  }
  return displaced;
}

/**
 * Queues the invitation from AdminCreateUserConfig.InviteMessageTemplate (or
 * Cognito's default) with `{username}` as the operator named the user and
 * `{####}` as the temporary password. DesiredDeliveryMediums defaults to SMS
 * in the API; a user without a phone number then gets it by email, as
 * Cognito does. A template without `{####}` is not delivered (AdminCreateUser
 * reference). SMS goes to the outbox only: Cognate sends no SMS itself.
 */
async function invite(ctx: Context, tx: Store, pool: Pool, user: User, shownName: string, password: string, mediums: string[] | undefined): Promise<void> {
  const email = user.attributes['email'];
  const phone = user.attributes['phone_number'];
  let chosen = (mediums?.length ? mediums : ['SMS']).filter((m) => (m === 'EMAIL' ? email : phone));
  if (!mediums?.length && !chosen.length && email) chosen = ['EMAIL'];
  const template = pool.settings.AdminCreateUserConfig?.InviteMessageTemplate;
  for (const medium of new Set(chosen)) {
    const viaEmail = medium === 'EMAIL';
    const text = viaEmail ? (template?.EmailMessage ?? DEFAULT_INVITE_MESSAGE) : (template?.SMSMessage ?? DEFAULT_INVITE_MESSAGE);
    if (!text.includes('{####}')) continue;
    await queueMessage(ctx, tx, {
      poolId: pool.id,
      to: (viaEmail ? email : phone)!,
      from: pool.settings.EmailConfiguration?.From,
      subject: viaEmail ? (template?.EmailSubject ?? DEFAULT_INVITE_SUBJECT) : 'SMS',
      body: renderTemplate(text, { code: password, username: shownName }),
    });
  }
}

/**
 * AdminCreateUser's RESEND: a new temporary password (given, or generated)
 * and a fresh expiry for a user still in FORCE_CHANGE_PASSWORD, and the
 * invitation again. Cognito declares no history violation for
 * AdminCreateUser: the new temporary password is not checked against the
 * history, but the replaced one joins it.
 */
export async function resendInvitation(
  ctx: Context,
  pool: Pool,
  user: User,
  req: { username: string; password: string | undefined; mediums: string[] | undefined },
): Promise<User> {
  // Wording from emulators; Cognito's own text is unconfirmed.
  if (user.status !== 'FORCE_CHANGE_PASSWORD') throw Errors.UnsupportedUserState(`Resend not possible. ${user.username} status is not FORCE_CHANGE_PASSWORD`);
  const policy = passwordPolicyOf(pool);
  if (req.password !== undefined) await assertNewPassword(ctx.store, pool, req.password, { usernames: [user.username, req.username], attributes: user.attributes }, 'admin');
  const password = req.password ?? generatePassword(policy, (alphabet, n) => ctx.ids.chars(alphabet, n));
  const material = await passwordMaterial(ctx.master, pool, user, password);
  const now = ctx.clock.now();
  const patch = { ...material, passwordChangedAt: now, tempPasswordExpiresAt: now + temporaryPasswordValidityMs(pool), failedAttempts: 0, lastFailedAt: null, lockedUntil: null };
  const updated: User = { ...user, ...patch, updatedAt: now };
  // Trigger: CustomMessage (CustomMessage_AdminCreateUser) shapes the invitation.
  await ctx.store.transaction(async (tx) => {
    await tx.passwordHistory.retireCurrent(user.sub, now);
    await tx.users.update(user.sub, patch, now);
    await invite(ctx, tx, pool, updated, req.username, password, req.mediums);
  });
  return updated;
}

/** Who confirms a user. */
export type ConfirmSource = 'ConfirmSignUp' | 'AdminConfirmSignUp';

export type ConfirmRequest =
  | { source: 'ConfirmSignUp'; code: string; forceAliasCreation: boolean }
  | { source: 'AdminConfirmSignUp' };

/**
 * UNCONFIRMED -> CONFIRMED. With the code SignUp (or ResendConfirmationCode)
 * sent, the email or phone it went to becomes verified in the same
 * transaction; another user signing in with it is AliasExistsException,
 * unless ForceAliasCreation moves it to this user. The code is checked
 * outside the transaction so a wrong guess counts even though the call
 * fails. An operator confirms without a code and without verifying anything:
 * Cognito leaves *_verified as it was. ConfirmSignUp's caller has counted
 * the attempt against the user's hourly cap first.
 */
export async function confirmUser(ctx: Context, pool: Pool, user: User, req: ConfirmRequest): Promise<void> {
  if (user.status !== 'UNCONFIRMED') throw Errors.NotAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  if (req.source === 'AdminConfirmSignUp') {
    await ctx.store.users.update(user.sub, { status: 'CONFIRMED' }, ctx.clock.now());
    // Trigger: PostConfirmation (PostConfirmation_ConfirmSignUp) here, after the commit.
    return;
  }
  if (!user.enabled) throw Errors.NotAuthorized('User is disabled.');
  const target = signUpCodeTarget(pool, user.attributes);
  const holders = target ? await signInNameHolders(ctx.store, pool, target, user.attributes[target]!, user.sub) : null;
  const taken = holders?.users.filter((u) => u.attributes[`${target}_verified`] === 'true') ?? [];
  if (taken.length && (!req.forceAliasCreation || holders?.as === 'username')) {
    throw Errors.AliasExists(`An account with the given ${target} already exists.`);
  }

  const codeId = await checkCode(ctx.store, ctx, user, 'signup', req.code);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await consumeCheckedCode(tx, ctx.clock, codeId);
    await tx.users.update(user.sub, { status: 'CONFIRMED' }, now);
    if (target) {
      await tx.users.setAttributes(pool.id, user.sub, { [`${target}_verified`]: 'true' });
      for (const other of taken) await tx.users.setAttributes(pool.id, other.sub, { [`${target}_verified`]: 'false' });
    }
  });
  // Trigger: PostConfirmation (PostConfirmation_ConfirmSignUp) here, after the commit.
}

