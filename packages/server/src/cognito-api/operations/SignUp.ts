import type { SignUpRequest } from '@aws-sdk/client-cognito-identity-provider';
import { hashPassword } from '../../crypto/passwords.ts';
import { assertRequiredPresent, isEmail, isPhone, validateAttributes } from '../../domain/attributes.ts';
import { assertPasswordConforms } from '../../domain/password-policy.ts';
import { passwordPolicyOf, usesEmailAsUsername, usesPhoneAsUsername } from '../../domain/pool-settings.ts';
import type { User } from '../../domain/user.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { sendCode } from '../../services/messages.ts';
import { checkSecretHash, requireClientAndPool, usernameKey } from '../lookups.ts';
import { publicOperation } from '../operation.ts';
import type { Wire } from '../wire.ts';

export default publicOperation<Wire<SignUpRequest>>('SignUp', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId!);
  if (pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly) throw Errors.NotAuthorized('SignUp is not permitted for this user pool');
  const given = input.Username!;
  checkSecretHash(client, given, input.SecretHash);

  const attrs = validateAttributes(pool, input.UserAttributes, { who: 'user', creating: true, client });
  if ('email_verified' in attrs || 'phone_number_verified' in attrs) throw Errors.NotAuthorized('A client attempted to write unauthorized attribute');

  // With UsernameAttributes the user signs in with email or phone and Cognito
  // makes the username (a UUID, the same as sub); otherwise the username is chosen.
  const sub = ctx.ids.uuid();
  let username = given;
  const byEmail = usesEmailAsUsername(pool);
  const byPhone = usesPhoneAsUsername(pool);
  if (byEmail || byPhone) {
    if (byEmail && isEmail(given)) attrs['email'] = given;
    else if (byPhone && isPhone(given)) attrs['phone_number'] = given;
    else throw Errors.InvalidParameter(byEmail && byPhone ? 'Username should be either an email or a phone number.' : byEmail ? 'Username should be an email.' : 'Username should be a phone number.');
    username = sub;
  } else if (pool.settings.AliasAttributes?.includes('email') && isEmail(given)) {
    throw Errors.InvalidParameter('Username cannot be of email format, since user pool is configured for email alias.');
  }
  assertRequiredPresent(pool, attrs);

  if (!input.Password) throw Errors.InvalidParameter('Password is required for this user pool.');
  assertPasswordConforms(passwordPolicyOf(pool), input.Password);

  if (await ctx.store.users.byUsername(pool.id, usernameKey(pool, username))) throw Errors.UsernameExists('User already exists');
  for (const [attr, on] of [['email', byEmail], ['phone_number', byPhone]] as const) {
    if (on && attrs[attr] && (await ctx.store.users.byAttribute(pool.id, attr, attrs[attr]!)).length) {
      throw Errors.UsernameExists(`An account with the given ${attr} already exists.`);
    }
  }

  const passwordHash = await hashPassword(input.Password);
  const now = ctx.clock.now();
  const user: User = {
    sub,
    poolId: pool.id,
    username,
    status: 'UNCONFIRMED',
    enabled: true,
    passwordHash,
    passwordChangedAt: now,
    tempPasswordExpiresAt: null,
    failedAttempts: 0,
    lastFailedAt: null,
    lockedUntil: null,
    attributes: { sub, ...attrs },
    createdAt: now,
    updatedAt: now,
  };
  const autoVerified = pool.settings.AutoVerifiedAttributes ?? [];
  const target = autoVerified.includes('email') && attrs['email'] ? 'email' : autoVerified.includes('phone_number') && attrs['phone_number'] ? 'phone_number' : null;

  const delivery = await ctx.store.transaction(async (tx) => {
    await tx.users.insert(user, usernameKey(pool, username));
    return target ? sendCode(ctx, tx, pool, user, 'signup', target) : null;
  });
  return { UserConfirmed: false, UserSub: sub, ...(delivery ? { CodeDeliveryDetails: delivery } : {}) };
});
