import type { Context } from '../context.ts';
import { verifyPassword } from '../crypto/passwords.ts';
import { preventsUserExistenceErrors, type AppClient } from '../domain/client-settings.ts';
import { assertRequiredPresent, validateAttributes, type AttributeInput } from '../domain/attributes.ts';
import type { CodeDeliveryDetails } from '../domain/masking.ts';
import { newUser, resolveNewUsername } from '../domain/new-user.ts';
import { generatePassword } from '../domain/password-policy.ts';
import {
  DEFAULT_INVITE_MESSAGE,
  DEFAULT_INVITE_SUBJECT,
  passwordPolicyOf,
  signUpCodeTarget,
  temporaryPasswordValidityMs,
  type Pool,
} from '../domain/pool-settings.ts';
import type { User, UserStatus } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';
import { noteAuthEvent, noteChallenge } from './auth-events.ts';
import type { AuthStep } from './auth-step.ts';
import { peekChallenge, takeChallenge } from './challenges.ts';
import { checkCode, consumeCheckedCode, countAttempt } from './codes.ts';
import { checkPasswordAsIfKnown, countUnknownNameAttempt } from './existence.ts';
import { findUserBySignInName, signInNameHolders, usernameKey } from './lookups.ts';
import { renderTemplate } from './mailer.ts';
import { codeMedium, queueMessage, sendCode } from './messages.ts';
import { type Medium, type MessagePlan, planMessage } from '../triggers/custom-message.ts';
import { queueCustomSender } from '../triggers/custom-sender.ts';
import { assertNotRecentlyUsed } from './password-history.ts';
import { passwordMaterial, type PasswordMaterial } from './password-material.ts';
import { assertNewPassword } from './password-rules.ts';
import { afterFirstFactor, recordFailure } from './sign-in.ts';
import { postConfirmation } from '../triggers/post-confirmation.ts';
import { autoConfirmationOf, preSignUp } from '../triggers/pre-sign-up.ts';

// Users: every creation, confirmation and password setting of a user goes
// through here, whatever asked for it (an API operation, the managed-login
// pages, the UserMigration trigger; federation and import later). Each
// entry point is named by what it does and told by `source` who asked, which
// is what the Lambda triggers receive (their triggerSource). The callers
// resolve the pool, client and user and shape the answer; the checks, the
// status transitions, the codes and the one transaction are here. Triggers
// that may refuse (PreSignUp, CustomMessage) run before the transaction;
// PostConfirmation runs after it commits.

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
  /** ValidationData as a map, for the pre sign-up trigger only; null when the call sent none. */
  validationData?: Record<string, string> | null;
  /** The call's ClientMetadata, for the message triggers (request.clientMetadata). */
  clientMetadata?: ClientMetadata;
}

type ClientMetadata = Readonly<Record<string, string | undefined>> | undefined;

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
  if (selfService && ('email_verified' in attrs || 'phone_number_verified' in attrs))
    throw Errors.NotAuthorized('A client attempted to write unauthorized attribute');

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
  // Once the request is known to be valid and before any name is claimed: a refusal creates nothing.
  const answer = await preSignUp(ctx, pool, {
    source,
    userName: username,
    clientId: req.client?.clientId ?? null,
    userAttributes: { ...attrs },
    validationData: req.validationData ?? null,
  });
  // AdminCreateUser ignores the trigger's flags: the operator sets *_verified, the invitation confirms.
  const auto = autoConfirmationOf(selfService ? answer : null, attrs);
  Object.assign(attrs, auto.verifiedAttributes);

  const key = usernameKey(pool, username);
  const force = req.forceAliasCreation ?? false;
  // SignUp's wording for a taken name differs from AdminCreateUser's, and SignUp checks only the name it signs in with.
  const claimNames = async (store: Store): Promise<{ attr: string; sub: string }[]> => {
    if (selfService) {
      if (await store.users.byUsername(pool.id, key)) throw Errors.UsernameExists('User already exists');
      for (const [attr, value] of Object.entries(signInAttribute)) {
        if ((await store.users.byAttribute(pool.id, attr, value)).length) throw Errors.UsernameExists(`An account with the given ${attr} already exists.`);
      }
      // An address the pre sign-up trigger verified takes the alias from whoever held it ("the alias will be moved to the new user").
      return claimSignInNames(store, pool, auto.verifiedAttributes, true);
    }
    if (await store.users.byUsername(pool.id, key)) throw Errors.UsernameExists('User account already exists');
    return claimSignInNames(store, pool, attrs, force);
  };
  await claimNames(ctx.store);

  const password = selfService ? req.password! : (req.password ?? generatePassword(passwordPolicyOf(pool), (alphabet, n) => ctx.ids.chars(alphabet, n)));
  const material = await passwordMaterial(ctx.master, pool, { sub, username }, password);
  const now = ctx.clock.now();
  const user = selfService
    ? newUser({ sub, poolId: pool.id, username, status: auto.confirmed ? 'CONFIRMED' : 'UNCONFIRMED', ...material, now, attributes: attrs })
    : newUser({
        sub,
        poolId: pool.id,
        username,
        status: 'FORCE_CHANGE_PASSWORD',
        ...material,
        now,
        tempPasswordExpiresAt: now + temporaryPasswordValidityMs(pool),
        attributes: attrs,
      });
  // An auto-confirmed user gets no confirmation code.
  const target = selfService && !auto.confirmed ? signUpCodeTarget(pool, attrs) : null;
  if (selfService) noteAuthEvent(ctx, user, 'SignUp');

  // CustomMessage (CustomMessage_SignUp, CustomMessage_AdminCreateUser) shapes the message before the transaction queues it.
  const codeTo = target ? codeMedium(user, target) : null;
  const mediums: Medium[] = selfService ? (codeTo ? [codeTo] : []) : req.invite ? inviteMediums(user, req.invite.mediums) : [];
  const plan = mediums.length
    ? await planMessage(ctx, pool, user, {
        kind: selfService ? 'SignUp' : 'AdminCreateUser',
        clientId: req.client?.clientId ?? null,
        clientMetadata: req.clientMetadata,
        mediums,
      })
    : null;
  const delivery = await ctx.store.transaction(async (tx) => {
    const displaced = await claimNames(tx);
    await tx.users.insert(user, key);
    for (const { attr, sub: other } of displaced) await tx.users.setAttributes(pool.id, other, { [`${attr}_verified`]: 'false' });
    if (selfService) return target ? sendCode(ctx, tx, pool, user, 'signup', target, plan ?? undefined) : null;
    if (plan) await invite(ctx, tx, pool, user, given, password, mediums, plan);
    return null;
  });
  // A sign-up the pre sign-up trigger confirmed is a confirmation too (PostConfirmation_ConfirmSignUp), after the commit.
  if (auto.confirmed) await postConfirmation(ctx, pool, user, 'ConfirmSignUp', req.client?.clientId ?? null);
  return { user, delivery };
}

/** What a UserMigration function answered, for createMigratedUser (triggers/user-migration.ts reads it). */
export interface MigratedUserRequest {
  /** The name the user signed in, or asked for a reset, with. */
  given: string;
  /** The password the user signed in with; null from ForgotPassword (an unusable random one is stored). */
  password: string | null;
  attributes: Record<string, string>;
  status: 'CONFIRMED' | 'RESET_REQUIRED';
  /** The welcome message and its DesiredDeliveryMediums, or false (messageAction SUPPRESS). */
  welcome: false | { mediums: string[] | undefined };
  forceAliasCreation: boolean;
  /** SMS MFA on (and preferred) for the user: needs a phone number. */
  enableSmsMfa: boolean;
}

/**
 * Creates a user a UserMigration function vouched for (developer guide,
 * "Migrate user Lambda trigger"): the attributes as an operator would give
 * them, the name the user signed in with (a UUID username with
 * UsernameAttributes, as for any new user), the password exactly as given
 * (the pool's policy is not applied to migrated passwords), and the status
 * the function chose. Sign-in names are claimed as AdminCreateUser claims
 * them (ForceAliasCreation moves a verified alias). Unless suppressed, the
 * welcome message is the invitation template without a password: Cognate
 * never sends the password a user signed in with.
 */
export async function createMigratedUser(ctx: Context, pool: Pool, req: MigratedUserRequest): Promise<User> {
  const given = Object.entries(req.attributes).map(([Name, Value]) => ({ Name, Value }));
  const attrs = validateAttributes(pool, given, { who: 'operator', creating: true });
  const sub = ctx.ids.uuid();
  const { username, signInAttribute } = resolveNewUsername(pool, req.given, sub);
  Object.assign(attrs, signInAttribute);
  assertRequiredPresent(pool, attrs);
  if (req.enableSmsMfa && !attrs['phone_number']) throw Errors.InvalidParameter('User does not have delivery config set to turn on SMS_MFA');
  const key = usernameKey(pool, username);
  const claimNames = async (store: Store) => {
    if (await store.users.byUsername(pool.id, key)) throw Errors.UsernameExists('User account already exists');
    return claimSignInNames(store, pool, attrs, req.forceAliasCreation);
  };
  await claimNames(ctx.store);
  const material = await passwordMaterial(ctx.master, pool, { sub, username }, req.password ?? ctx.ids.bytes(32).toString('base64url'));
  const now = ctx.clock.now();
  const user = newUser({ sub, poolId: pool.id, username, status: req.status, ...material, now, attributes: attrs });
  await ctx.store.transaction(async (tx) => {
    const displaced = await claimNames(tx);
    await tx.users.insert(user, key);
    for (const { attr, sub: other } of displaced) await tx.users.setAttributes(pool.id, other, { [`${attr}_verified`]: 'false' });
    if (req.enableSmsMfa) await tx.mfa.upsert(sub, pool.id, { sms_enabled: 1, preferred: 'SMS_MFA' }, now);
    if (req.welcome)
      await invite(ctx, tx, pool, user, req.given, null, inviteMediums(user, req.welcome.mediums), {
        kind: 'AdminCreateUser',
        clientId: null,
        clientMetadata: undefined,
        texts: null,
      });
  });
  return user;
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
 * The mediums an invitation goes by: DesiredDeliveryMediums (SMS when
 * absent) that the user has a contact for; a user without a phone number
 * then gets it by email, as Cognito does.
 */
function inviteMediums(user: User, mediums: string[] | undefined): Medium[] {
  const has = (m: string) => (m === 'EMAIL' ? user.attributes['email'] : user.attributes['phone_number']) !== undefined;
  let chosen = (mediums?.length ? mediums : ['SMS']).filter(has);
  if (!mediums?.length && !chosen.length && has('EMAIL')) chosen = ['EMAIL'];
  return [...new Set(chosen)].filter((m): m is Medium => m === 'EMAIL' || m === 'SMS');
}

/**
 * Queues the invitation by each of `chosen` (inviteMediums) from the
 * CustomMessage function's texts, else AdminCreateUserConfig.InviteMessageTemplate
 * (or Cognito's default), with `{username}` as the operator named the user and
 * `{####}` as the temporary password; a medium with a custom sender gets the
 * password through it instead. A template without `{####}` is not delivered
 * (AdminCreateUser reference). SMS goes to the outbox only: Cognate sends no
 * SMS itself. A null password is a migrated user's welcome: sent by message
 * whatever the template, `{####}` left empty.
 */
async function invite(
  ctx: Context,
  tx: Store,
  pool: Pool,
  user: User,
  shownName: string,
  password: string | null,
  chosen: Medium[],
  plan: MessagePlan,
): Promise<void> {
  const email = user.attributes['email'];
  const phone = user.attributes['phone_number'];
  const template = pool.settings.AdminCreateUserConfig?.InviteMessageTemplate;
  for (const medium of chosen) {
    if (password !== null && queueCustomSender(ctx, pool, user, plan, medium, password)) continue;
    const viaEmail = medium === 'EMAIL';
    const text = viaEmail
      ? (plan.texts?.emailMessage ?? template?.EmailMessage ?? DEFAULT_INVITE_MESSAGE)
      : (plan.texts?.smsMessage ?? template?.SMSMessage ?? DEFAULT_INVITE_MESSAGE);
    if (password !== null && !text.includes('{####}')) continue;
    await queueMessage(ctx, tx, {
      poolId: pool.id,
      to: (viaEmail ? email : phone)!,
      from: pool.settings.EmailConfiguration?.From,
      subject: viaEmail ? (plan.texts?.emailSubject ?? template?.EmailSubject ?? DEFAULT_INVITE_SUBJECT) : 'SMS',
      body: renderTemplate(text, { code: password ?? '', username: shownName }),
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
  req: { username: string; password: string | undefined; mediums: string[] | undefined; clientMetadata?: ClientMetadata },
): Promise<User> {
  // Wording from emulators; Cognito's own text is unconfirmed.
  if (user.status !== 'FORCE_CHANGE_PASSWORD') throw Errors.UnsupportedUserState(`Resend not possible. ${user.username} status is not FORCE_CHANGE_PASSWORD`);
  const policy = passwordPolicyOf(pool);
  if (req.password !== undefined)
    await assertNewPassword(ctx.store, pool, req.password, { usernames: [user.username, req.username], attributes: user.attributes }, 'admin');
  const password = req.password ?? generatePassword(policy, (alphabet, n) => ctx.ids.chars(alphabet, n));
  const material = await passwordMaterial(ctx.master, pool, user, password);
  const now = ctx.clock.now();
  const patch = {
    ...material,
    passwordChangedAt: now,
    tempPasswordExpiresAt: now + temporaryPasswordValidityMs(pool),
    failedAttempts: 0,
    lastFailedAt: null,
    lockedUntil: null,
  };
  const updated: User = { ...user, ...patch, updatedAt: now };
  // CustomMessage (CustomMessage_AdminCreateUser) shapes the invitation before the transaction queues it.
  const mediums = inviteMediums(updated, req.mediums);
  const plan = await planMessage(ctx, pool, updated, { kind: 'AdminCreateUser', clientId: null, clientMetadata: req.clientMetadata, mediums });
  await ctx.store.transaction(async (tx) => {
    await tx.passwordHistory.retireCurrent(user.sub, now);
    // A new password signs the user's browsers out of the managed-login pages.
    await tx.oauthGrants.endHostedSessions(user.sub);
    await tx.users.update(user.sub, patch, now);
    await invite(ctx, tx, pool, updated, req.username, password, mediums, plan);
  });
  return updated;
}

/** Who confirms a user. */
export type ConfirmSource = 'ConfirmSignUp' | 'AdminConfirmSignUp';

export type ConfirmRequest = { source: 'ConfirmSignUp'; clientId: string; code: string; forceAliasCreation: boolean } | { source: 'AdminConfirmSignUp' };

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
    // After the commit: a failing function fails the call, and the user stays confirmed.
    await postConfirmation(ctx, pool, { ...user, status: 'CONFIRMED' }, 'ConfirmSignUp', null);
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
  // After the commit: a failing function fails the call, and the user stays confirmed.
  const verified = target ? { [`${target}_verified`]: 'true' } : {};
  await postConfirmation(ctx, pool, { ...user, status: 'CONFIRMED', attributes: { ...user.attributes, ...verified } }, 'ConfirmSignUp', req.clientId);
}

// ---------------------------------------------------------------------------
// Passwords. The policy is services/password-rules.ts's, the history
// services/password-history.ts's, the stored material
// services/password-material.ts's; here, the order they are checked in for
// each way a password is set, the status it leaves, and the transaction.

/**
 * AdminSetUserPassword. Permanent: the user is CONFIRMED with this password
 * (also the usual way to confirm a user without a code). Otherwise it is a
 * temporary password: the user is FORCE_CHANGE_PASSWORD, with a fresh
 * TemporaryPasswordValidityDays expiry, and the next sign-in answers
 * NEW_PASSWORD_REQUIRED. Either way the lockout is cleared: failures against
 * the old password say nothing about the new one. PasswordHistorySize
 * applies to temporary and permanent passwords alike, and the replaced
 * password joins the history either way. `given` is the name the operator used.
 */
export async function setPassword(
  ctx: Context,
  pool: Pool,
  user: User,
  password: string,
  req: { source: 'AdminSetUserPassword'; given: string; permanent: boolean },
): Promise<void> {
  // Only CognateService.AdminRestoreUser brings an archived user back (services/lifecycle.ts).
  if (user.status === 'ARCHIVED') throw Errors.UnsupportedUserState('User is archived; restore it before setting a password.');
  await assertNewPassword(ctx.store, pool, password, { usernames: [user.username, req.given], attributes: user.attributes }, 'admin');
  await assertNotRecentlyUsed(ctx.store, pool, user, password);
  const material = await passwordMaterial(ctx.master, pool, user, password);
  const now = ctx.clock.now();
  const permanent = req.permanent;
  await ctx.store.transaction(async (tx) => {
    await tx.passwordHistory.retireCurrent(user.sub, now);
    // A new password signs the user's browsers out of the managed-login pages.
    await tx.oauthGrants.endHostedSessions(user.sub);
    await tx.users.update(
      user.sub,
      {
        status: permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD',
        ...material,
        passwordChangedAt: now,
        tempPasswordExpiresAt: permanent ? null : now + temporaryPasswordValidityMs(pool),
        failedAttempts: 0,
        lastFailedAt: null,
        lockedUntil: null,
      },
      now,
    );
  });
}

const CHANGES_PER_HOUR = 5;

/**
 * ChangePassword: the signed-in user replaces their password. A wrong
 * previous password is a failed sign-in for the lockout schedule, so a
 * stolen access token cannot be used to guess the password faster than the
 * sign-in endpoint allows. `previous` may be left out only by a user who has
 * no password (passwordless sign-in); for anyone else its absence is a wrong
 * password.
 */
export async function changePassword(ctx: Context, pool: Pool, user: User, req: { previous: string | undefined; proposed: string }): Promise<void> {
  noteAuthEvent(ctx, user, 'PasswordChange');
  await countAttempt(ctx.store, ctx.clock, `ChangePassword:${user.sub}`, CHANGES_PER_HOUR);
  await assertNewPassword(ctx.store, pool, req.proposed, { usernames: [user.username], attributes: user.attributes });
  const now = ctx.clock.now();
  if (user.lockedUntil !== null && user.lockedUntil > now) throw Errors.NotAuthorized('Password attempts exceeded');
  if (user.passwordHash !== null) {
    const previous = req.previous;
    if (previous === undefined || !(await verifyPassword(user.passwordHash, previous))) {
      noteChallenge(ctx, 'Password', false);
      await recordFailure(ctx, user);
      throw Errors.NotAuthorized('Incorrect username or password.');
    }
  }
  if (user.passwordHash !== null) noteChallenge(ctx, 'Password', true);
  // Only now, with the previous password proven, may the answer tell whether the new one was used before.
  await assertNotRecentlyUsed(ctx.store, pool, user, req.proposed);
  const material = await passwordMaterial(ctx.master, pool, user, req.proposed);
  await ctx.store.transaction(async (tx) => {
    await tx.passwordHistory.retireCurrent(user.sub, now);
    // A new password signs the user's browsers out of the managed-login pages.
    await tx.oauthGrants.endHostedSessions(user.sub);
    await tx.users.update(user.sub, { ...material, passwordChangedAt: now, failedAttempts: 0, lastFailedAt: null, lockedUntil: null }, now);
  });
}

// Cognito allows 5 to 20 of these an hour per user; each code also dies after
// five wrong guesses (consumeCode), so the hourly cap is the generous end.
const RESETS_PER_HOUR = 20;

// Statuses a successful reset leaves behind. The code proves the user holds a
// verified contact, which is what sign-up confirmation proves, so an
// UNCONFIRMED user who resets is confirmed too.
// COMPROMISED (services/lifecycle.ts) ends here too: the exposed password is replaced.
const CONFIRMED_BY_RESET: readonly UserStatus[] = ['UNCONFIRMED', 'RESET_REQUIRED', 'FORCE_CHANGE_PASSWORD', 'COMPROMISED'];

/**
 * ConfirmForgotPassword: a new password with the code ForgotPassword (or
 * AdminResetUserPassword) sent, for the user `given` names through `client`.
 * The policy is checked before the code is spent, so a rejected password does
 * not burn the code; a wrong code counts against it even though the call
 * fails. Lockout counters are cleared: the user proved control of their
 * contact. With PreventUserExistenceErrors ENABLED, unknown and disabled
 * users get a wrong-code answer after the same cap and policy check
 * (developer guide, "Managing user existence error responses").
 */
export async function resetPasswordWithCode(
  ctx: Context,
  pool: Pool,
  client: AppClient,
  req: { given: string; code: string; password: string },
): Promise<void> {
  const { given, password } = req;
  const user = await findUserBySignInName(ctx.store, pool, given);
  const hide = preventsUserExistenceErrors(client);
  if (!user) {
    if (hide) {
      // The cap and the policy check a real account meets before its code is looked at.
      await countUnknownNameAttempt(ctx, pool, 'ConfirmForgotPassword', given, RESETS_PER_HOUR);
      await checkPasswordAsIfKnown(ctx.store, pool, given, password);
      throw Errors.CodeMismatch('Invalid verification code provided, please try again.');
    }
    throw Errors.UserNotFound('User does not exist.');
  }
  // An archived account is unusable until restored: answered as a disabled one (services/lifecycle.ts).
  if (!user.enabled || user.status === 'ARCHIVED') {
    if (hide) {
      // The cap and the policy check an enabled account (and an unknown name) meet before the code is looked at.
      await countAttempt(ctx.store, ctx.clock, `ConfirmForgotPassword:${user.sub}`, RESETS_PER_HOUR);
      await assertNewPassword(ctx.store, pool, password, { usernames: [user.username, given], attributes: user.attributes });
      throw Errors.CodeMismatch('Invalid verification code provided, please try again.');
    }
    throw Errors.NotAuthorized('User is disabled.');
  }
  noteAuthEvent(ctx, user, 'ForgotPassword');
  await countAttempt(ctx.store, ctx.clock, `ConfirmForgotPassword:${user.sub}`, RESETS_PER_HOUR);
  await assertNewPassword(ctx.store, pool, password, { usernames: [user.username, given], attributes: user.attributes });
  const codeId = await checkCode(ctx.store, ctx, user, 'forgot-password', req.code);
  // After the code: only its holder may learn whether a password was used before. A reused one leaves the code usable.
  await assertNotRecentlyUsed(ctx.store, pool, user, password);

  // The code is used up in the same transaction that sets the password: a failure leaves it usable.
  const material = await passwordMaterial(ctx.master, pool, user, password);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await consumeCheckedCode(tx, ctx.clock, codeId);
    await tx.passwordHistory.retireCurrent(user.sub, now);
    // A new password signs the user's browsers out of the managed-login pages.
    await tx.oauthGrants.endHostedSessions(user.sub);
    await tx.users.update(
      user.sub,
      {
        ...material,
        passwordChangedAt: now,
        tempPasswordExpiresAt: null,
        failedAttempts: 0,
        lastFailedAt: null,
        lockedUntil: null,
        ...(CONFIRMED_BY_RESET.includes(user.status) ? { status: 'CONFIRMED' as const } : {}),
      },
      now,
    );
  });
  // After the commit: a failing function fails the call, and the new password stays set.
  const status = CONFIRMED_BY_RESET.includes(user.status) ? 'CONFIRMED' : user.status;
  await postConfirmation(ctx, pool, { ...user, status }, 'ConfirmForgotPassword', client.clientId);
}

/**
 * AdminResetUserPassword: the status becomes RESET_REQUIRED, so sign-in
 * answers PasswordResetRequiredException, and a one-hour reset code goes to
 * `contact`, the user's verified contact as ForgotPassword chooses it (none:
 * InvalidParameterException, and nothing changes). The password hash stays
 * (it no longer signs in).
 */
export async function requirePasswordReset(
  ctx: Context,
  pool: Pool,
  user: User,
  contact: 'email' | 'phone_number' | undefined,
  clientMetadata?: ClientMetadata,
): Promise<void> {
  // An archived account answers as a disabled one until restored (services/lifecycle.ts).
  if (!user.enabled || user.status === 'ARCHIVED') throw Errors.NotAuthorized('User is disabled.');
  // An invited user who never signed in has only the temporary password (Cognito's wording, as in ForgotPassword).
  if (user.status === 'FORCE_CHANGE_PASSWORD') throw Errors.NotAuthorized('User password cannot be reset in the current state.');
  if (!contact) throw Errors.InvalidParameter('Cannot reset password for the user as there is no registered/verified email or phone_number');
  const now = ctx.clock.now();
  // CustomMessage (CustomMessage_ForgotPassword) shapes the code's message before the transaction queues it.
  const medium = codeMedium(user, contact);
  const plan = await planMessage(ctx, pool, user, { kind: 'ForgotPassword', clientId: null, clientMetadata, mediums: medium ? [medium] : [] });
  await ctx.store.transaction(async (tx) => {
    await tx.users.update(user.sub, { status: 'RESET_REQUIRED' }, now);
    await sendCode(ctx, tx, pool, user, 'forgot-password', contact, plan);
  });
}

/**
 * The NEW_PASSWORD_REQUIRED answer: a FORCE_CHANGE_PASSWORD user sets a new
 * password and the required attributes still missing (`attributes`, as
 * given); the user becomes CONFIRMED and the sign-in completes. The session
 * is checked before any costly work, and must belong to the user `given`
 * names; the new password's hash and SRP verifier are made outside the
 * transaction (argon2 is slow). Taking the session and setting the password
 * are one transaction: a refused answer (say, a required attribute still
 * missing) leaves the session usable for a corrected one, while an accepted
 * one consumes it. The sign-in then continues after the commit (an MFA
 * challenge, a device, or tokens), so the functions it may ask (a code's
 * CustomMessage, post authentication, pre token generation) never run while
 * the database is held; one that refuses leaves the new password set, and
 * the user signs in again with it.
 */
export async function completeNewPassword(
  ctx: Context,
  pool: Pool,
  client: AppClient,
  req: { session: string | undefined; given: string; password: string; attributes: readonly AttributeInput[] },
): Promise<AuthStep> {
  const { session, given: username, password } = req;
  // Checked as at creation, so an immutable attribute the user lacks can be filled in; one already set is refused below.
  const attrs = validateAttributes(pool, req.attributes, { who: 'user', creating: true, client });
  if (Object.keys(attrs).some((n) => n.endsWith('_verified'))) throw Errors.NotAuthorized('A client attempted to write unauthorized attribute');
  const open = await peekChallenge(ctx.store, ctx.clock, session, client, 'NEW_PASSWORD_REQUIRED');
  const named = await findUserBySignInName(ctx.store, pool, username);
  if (!named || named.sub !== open.sub) throw Errors.NotAuthorized('Invalid session for the user.');
  // The policy needs the user (no username or email inside), the history a proven one: the session is.
  await assertNewPassword(ctx.store, pool, password, { usernames: [named.username, username], attributes: { ...named.attributes, ...attrs } });
  await assertNotRecentlyUsed(ctx.store, pool, named, password);
  const material: PasswordMaterial = await passwordMaterial(ctx.master, pool, named, password);

  const confirmed = await ctx.store.transaction(async (tx) => {
    const row = await takeChallenge(tx, ctx.clock, session, client, 'NEW_PASSWORD_REQUIRED');
    const user = row.sub ? await tx.users.bySub(row.sub) : null;
    if (!user || named.sub !== user.sub || user.status !== 'FORCE_CHANGE_PASSWORD' || (await findUserBySignInName(tx, pool, username))?.sub !== user.sub) {
      throw Errors.NotAuthorized('Invalid session for the user.');
    }
    // Disabled after the first factor, while the challenge was open: no tokens.
    if (!user.enabled) throw Errors.NotAuthorized('User is disabled.');
    // "You can't modify a required attribute that already has a value" (RespondToAuthChallenge reference).
    const schema = pool.settings.SchemaAttributes ?? [];
    const required = schema.filter((a) => a.Required && a.Name !== 'sub').map((a) => a.Name ?? '');
    const overwritten = required.find((n) => attrs[n] !== undefined && user.attributes[n]);
    if (overwritten) throw Errors.NotAuthorized(`Cannot modify an already provided ${overwritten}`);
    const immutable = schema.find((a) => a.Mutable === false && attrs[a.Name ?? ''] !== undefined && user.attributes[a.Name ?? ''] !== undefined);
    if (immutable) throw Errors.InvalidParameter(`Cannot modify the non-mutable attribute ${immutable.Name}`);
    const missing = required.filter((n) => !user.attributes[n] && !attrs[n]);
    if (missing.length) throw Errors.InvalidParameter(`Invalid attributes given, ${missing.join(', ')} is missing`);
    // A new email or phone is unverified, and may not be another user's sign-in name.
    for (const attr of ['email', 'phone_number'] as const) {
      const value = attrs[attr];
      if (value === undefined || value === user.attributes[attr]) continue;
      const holders = await signInNameHolders(tx, pool, attr, value, user.sub);
      if (holders?.users.length) {
        const message = `An account with the given ${attr} already exists.`;
        throw holders.as === 'username' ? Errors.UsernameExists(message) : Errors.AliasExists(message);
      }
      attrs[`${attr}_verified`] = 'false';
    }

    const now = ctx.clock.now();
    const patch = { status: 'CONFIRMED' as const, ...material, passwordChangedAt: now, tempPasswordExpiresAt: null };
    await tx.passwordHistory.retireCurrent(user.sub, now);
    // A new password signs the user's browsers out of the managed-login pages.
    await tx.oauthGrants.endHostedSessions(user.sub);
    await tx.users.update(user.sub, patch, now);
    await tx.users.setAttributes(pool.id, user.sub, attrs);
    return { ...user, ...patch, attributes: { ...user.attributes, ...attrs }, updatedAt: now };
  });
  return afterFirstFactor(ctx, pool, client, confirmed, { tokenSource: 'NewPasswordChallenge' });
}
