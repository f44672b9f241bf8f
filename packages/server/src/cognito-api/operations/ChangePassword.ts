import type { ChangePasswordRequest } from '@aws-sdk/client-cognito-identity-provider';
import { verifyPassword } from '../../crypto/passwords.ts';
import { assertPasswordConforms } from '../../domain/password-policy.ts';
import { passwordPolicyOf } from '../../domain/pool-settings.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { countAttempt } from '../../services/codes.ts';
import { passwordMaterial } from '../../services/password-material.ts';
import { recordFailure } from '../../services/sign-in.ts';
import { accessTokenOperation } from '../operation.ts';
import type { Wire } from '../wire.ts';

const CHANGES_PER_HOUR = 5;

// The signed-in user replaces their password. A wrong previous password is a
// failed sign-in for the lockout schedule, so a stolen access token cannot be
// used to guess the password faster than the sign-in endpoint allows.
// PreviousPassword may be left out only by a user who has no password
// (passwordless sign-in); for anyone else its absence is a wrong password.
export default accessTokenOperation<Wire<ChangePasswordRequest>>('ChangePassword', async (input, ctx) => {
  const { user, pool } = ctx.caller;
  await countAttempt(ctx.store, ctx.clock, `ChangePassword:${user.sub}`, CHANGES_PER_HOUR);
  assertPasswordConforms(passwordPolicyOf(pool), input.ProposedPassword!);
  const now = ctx.clock.now();
  if (user.lockedUntil !== null && user.lockedUntil > now) throw Errors.NotAuthorized('Password attempts exceeded');
  if (user.passwordHash !== null) {
    const previous = input.PreviousPassword;
    if (previous === undefined || !(await verifyPassword(user.passwordHash, previous))) {
      await recordFailure(ctx, user);
      throw Errors.NotAuthorized('Incorrect username or password.');
    }
  }
  const material = await passwordMaterial(ctx.master, pool, user, input.ProposedPassword!);
  await ctx.store.users.update(user.sub, { ...material, passwordChangedAt: now, failedAttempts: 0, lastFailedAt: null, lockedUntil: null }, now);
  return {};
});
