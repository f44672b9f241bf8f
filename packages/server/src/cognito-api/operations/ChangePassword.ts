import type { ChangePasswordRequest } from '@aws-sdk/client-cognito-identity-provider';
import { verifyPassword } from '../../crypto/passwords.ts';
import { assertNewPassword } from '../../services/password-rules.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { countAttempt } from '../../services/codes.ts';
import { noteAuthEvent, noteChallenge } from '../../services/auth-events.ts';
import { assertNotRecentlyUsed } from '../../services/password-history.ts';
import { passwordMaterial } from '../../services/password-material.ts';
import { recordFailure } from '../../services/sign-in.ts';
import { accessTokenOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

const CHANGES_PER_HOUR = 5;

// The signed-in user replaces their password. A wrong previous password is a
// failed sign-in for the lockout schedule, so a stolen access token cannot be
// used to guess the password faster than the sign-in endpoint allows.
// PreviousPassword may be left out only by a user who has no password
// (passwordless sign-in); for anyone else its absence is a wrong password.
export default accessTokenOperation<Wire<ChangePasswordRequest>>('ChangePassword', async (input, ctx) => {
  const { user, pool } = ctx.caller;
  noteAuthEvent(ctx, user, 'PasswordChange');
  await countAttempt(ctx.store, ctx.clock, `ChangePassword:${user.sub}`, CHANGES_PER_HOUR);
  await assertNewPassword(ctx.store, pool, input.ProposedPassword!, { usernames: [user.username], attributes: user.attributes });
  const now = ctx.clock.now();
  if (user.lockedUntil !== null && user.lockedUntil > now) throw Errors.NotAuthorized('Password attempts exceeded');
  if (user.passwordHash !== null) {
    const previous = input.PreviousPassword;
    if (previous === undefined || !(await verifyPassword(user.passwordHash, previous))) {
      noteChallenge(ctx, 'Password', false);
      await recordFailure(ctx, user);
      throw Errors.NotAuthorized('Incorrect username or password.');
    }
  }
  if (user.passwordHash !== null) noteChallenge(ctx, 'Password', true);
  // Only now, with the previous password proven, may the answer tell whether the new one was used before.
  await assertNotRecentlyUsed(ctx.store, pool, user, input.ProposedPassword!);
  const material = await passwordMaterial(ctx.master, pool, user, input.ProposedPassword!);
  await ctx.store.transaction(async (tx) => {
    await tx.passwordHistory.retireCurrent(user.sub, now);
    await tx.users.update(user.sub, { ...material, passwordChangedAt: now, failedAttempts: 0, lastFailedAt: null, lockedUntil: null }, now);
  });
  return {};
});
