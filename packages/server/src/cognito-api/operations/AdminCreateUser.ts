import type { AdminCreateUserRequest, UserType } from '@aws-sdk/client-cognito-identity-provider';
import { assertRequiredPresent, validateAttributes } from '../../domain/attributes.ts';
import { newUser, resolveNewUsername } from '../../domain/new-user.ts';
import { generatePassword } from '../../domain/password-policy.ts';
import { assertNewPassword } from '../../services/password-rules.ts';
import {
  DEFAULT_INVITE_MESSAGE,
  DEFAULT_INVITE_SUBJECT,
  passwordPolicyOf,
  temporaryPasswordValidityMs,
  type Pool,
} from '../../domain/pool-settings.ts';
import type { User } from '../../domain/user.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { renderTemplate } from '../../services/mailer.ts';
import { queueMessage } from '../../services/messages.ts';
import { passwordMaterial } from '../../services/password-material.ts';
import type { Store } from '../../store/store.ts';
import { requirePool, requireUser, signInNameHolders, usernameKey } from '../../services/lookups.ts';
import { describeUser } from '../describe.ts';
import { operatorOperation } from '../operation.ts';
import { type Context } from '../../context.ts';
import type { Wire } from '../../domain/wire.ts';

type Input = Wire<AdminCreateUserRequest>;

// An operator creates a user with a temporary password (given, or generated
// to the pool's policy) in FORCE_CHANGE_PASSWORD: the first sign-in answers
// NEW_PASSWORD_REQUIRED. The invitation carries the username and the password;
// SUPPRESS sends none, RESEND issues a new temporary password to a user who
// has not yet signed in. ClientMetadata only feeds Lambda triggers: ignored.
export default operatorOperation<Input>('AdminCreateUser', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  if (input.MessageAction === 'RESEND') return resend(input, pool, ctx);

  // Operators may write anything but sub, email_verified included.
  const attrs = validateAttributes(pool, input.UserAttributes, { who: 'operator', creating: true });
  const given = input.Username!;
  const sub = ctx.ids.uuid();
  const { username, signInAttribute } = resolveNewUsername(pool, given, sub);
  Object.assign(attrs, signInAttribute);
  assertRequiredPresent(pool, attrs);
  const policy = passwordPolicyOf(pool);
  if (input.TemporaryPassword !== undefined) await assertNewPassword(ctx.store, pool, input.TemporaryPassword, { usernames: [username, given], attributes: attrs }, 'admin');

  if (await ctx.store.users.byUsername(pool.id, usernameKey(pool, username))) throw Errors.UsernameExists('User account already exists');
  await claimSignInNames(ctx.store, pool, attrs, input.ForceAliasCreation ?? false);

  const password = input.TemporaryPassword ?? generatePassword(policy, (alphabet, n) => ctx.ids.chars(alphabet, n));
  const material = await passwordMaterial(ctx.master, pool, { sub, username }, password);
  const now = ctx.clock.now();
  const user = newUser({ sub, poolId: pool.id, username, status: 'FORCE_CHANGE_PASSWORD', ...material, now, tempPasswordExpiresAt: now + temporaryPasswordValidityMs(pool), attributes: attrs });
  await ctx.store.transaction(async (tx) => {
    // Again inside the transaction, where concurrent creations are serialized.
    if (await tx.users.byUsername(pool.id, usernameKey(pool, username))) throw Errors.UsernameExists('User account already exists');
    const displacedNow = await claimSignInNames(tx, pool, attrs, input.ForceAliasCreation ?? false);
    await tx.users.insert(user, usernameKey(pool, username));
    for (const { attr, sub: other } of displacedNow) await tx.users.setAttributes(pool.id, other, { [`${attr}_verified`]: 'false' });
    if (input.MessageAction !== 'SUPPRESS') await invite(ctx, tx, pool, user, given, password, input.DesiredDeliveryMediums);
  });
  return { User: describeUser(user) };
});

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

/** RESEND: a new temporary password and a fresh expiry for a user still in FORCE_CHANGE_PASSWORD, and the invitation again. */
async function resend(input: Input, pool: Pool, ctx: Context<'operator'>): Promise<{ User: Wire<UserType> }> {
  const user = await requireUser(ctx.store, pool, input.Username!);
  // Wording from emulators; Cognito's own text is unconfirmed.
  if (user.status !== 'FORCE_CHANGE_PASSWORD') throw Errors.UnsupportedUserState(`Resend not possible. ${user.username} status is not FORCE_CHANGE_PASSWORD`);
  const policy = passwordPolicyOf(pool);
  if (input.TemporaryPassword !== undefined) await assertNewPassword(ctx.store, pool, input.TemporaryPassword, { usernames: [user.username, input.Username!], attributes: user.attributes }, 'admin');
  const password = input.TemporaryPassword ?? generatePassword(policy, (alphabet, n) => ctx.ids.chars(alphabet, n));
  const material = await passwordMaterial(ctx.master, pool, user, password);
  const now = ctx.clock.now();
  const patch = { ...material, passwordChangedAt: now, tempPasswordExpiresAt: now + temporaryPasswordValidityMs(pool), failedAttempts: 0, lastFailedAt: null, lockedUntil: null };
  const updated: User = { ...user, ...patch, updatedAt: now };
  // Cognito declares no history violation for AdminCreateUser: the new temporary
  // password is not checked against the history, but the replaced one joins it.
  await ctx.store.transaction(async (tx) => {
    await tx.passwordHistory.retireCurrent(user.sub, now);
    await tx.users.update(user.sub, patch, now);
    await invite(ctx, tx, pool, updated, input.Username!, password, input.DesiredDeliveryMediums);
  });
  return { User: describeUser(updated) };
}

/**
 * Queues the invitation from AdminCreateUserConfig.InviteMessageTemplate (or
 * Cognito's default) with `{username}` as the operator named the user and
 * `{####}` as the temporary password. DesiredDeliveryMediums defaults to SMS
 * in the API; a user without a phone number then gets it by email, as
 * Cognito does. A template without `{####}` is not delivered (AdminCreateUser
 * reference). SMS goes to the outbox only: Cognate sends no SMS itself.
 */
async function invite(ctx: Context<'operator'>, tx: Store, pool: Pool, user: User, shownName: string, password: string, mediums: string[] | undefined): Promise<void> {
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

