import { Errors } from '../errors/cognito-error.ts';
import { isEmail, isPhone } from './attributes.ts';
import { usesEmailAsUsername, usesPhoneAsUsername, type Pool } from './pool-settings.ts';
import type { User, UserStatus } from './user.ts';

/**
 * The username of a new user (SignUp, AdminCreateUser). With UsernameAttributes
 * the user signs in with email or phone, which becomes that attribute, and
 * Cognito makes the username: a UUID, the same as `sub`. Otherwise the given
 * name is the username, and may not look like an email where email is an alias.
 */
export function resolveNewUsername(pool: Pool, given: string, sub: string): { username: string; signInAttribute: Record<string, string> } {
  const byEmail = usesEmailAsUsername(pool);
  const byPhone = usesPhoneAsUsername(pool);
  if (byEmail || byPhone) {
    if (byEmail && isEmail(given)) return { username: sub, signInAttribute: { email: given } };
    if (byPhone && isPhone(given)) return { username: sub, signInAttribute: { phone_number: given } };
    throw Errors.InvalidParameter(
      byEmail && byPhone
        ? 'Username should be either an email or a phone number.'
        : byEmail
          ? 'Username should be an email.'
          : 'Username should be a phone number.',
    );
  }
  if (pool.settings.AliasAttributes?.includes('email') && isEmail(given)) {
    throw Errors.InvalidParameter('Username cannot be of email format, since user pool is configured for email alias.');
  }
  return { username: given, signInAttribute: {} };
}

/** A user as first stored: enabled, no failed attempts, `sub` among its attributes. */
export function newUser(args: {
  sub: string;
  poolId: string;
  username: string;
  status: UserStatus;
  passwordHash: string;
  srpSalt?: string;
  srpVerifierSealed?: string;
  now: number;
  tempPasswordExpiresAt?: number;
  attributes: Record<string, string>;
}): User {
  return {
    sub: args.sub,
    poolId: args.poolId,
    username: args.username,
    status: args.status,
    enabled: true,
    passwordHash: args.passwordHash,
    srpSalt: args.srpSalt ?? null,
    srpVerifierSealed: args.srpVerifierSealed ?? null,
    passwordChangedAt: args.now,
    tempPasswordExpiresAt: args.tempPasswordExpiresAt ?? null,
    failedAttempts: 0,
    lastFailedAt: null,
    lockedUntil: null,
    attributes: { sub: args.sub, ...args.attributes },
    createdAt: args.now,
    updatedAt: args.now,
  };
}
