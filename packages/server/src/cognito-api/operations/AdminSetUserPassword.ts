import type { AdminSetUserPasswordRequest } from '@aws-sdk/client-cognito-identity-provider';
import { temporaryPasswordValidityMs } from '../../domain/pool-settings.ts';
import { assertNewPassword } from '../../services/password-rules.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { assertNotRecentlyUsed } from '../../services/password-history.ts';
import { passwordMaterial } from '../../services/password-material.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

// Permanent: the user is CONFIRMED with this password (also the usual way to
// confirm a user without a code). Otherwise it is a temporary password: the
// user is FORCE_CHANGE_PASSWORD, with a fresh TemporaryPasswordValidityDays
// expiry, and the next sign-in answers NEW_PASSWORD_REQUIRED. Either way the
// lockout is cleared: failures against the old password say nothing about the new one.
// PasswordHistorySize applies to temporary and permanent passwords alike, and
// the replaced password joins the history either way.
export default operatorOperation<Wire<AdminSetUserPasswordRequest>>('AdminSetUserPassword', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  const user = await requireUser(ctx.store, pool, input.Username!);
  // Only CognateService.AdminRestoreUser brings an archived user back (services/lifecycle.ts).
  if (user.status === 'ARCHIVED') throw Errors.UnsupportedUserState('User is archived; restore it before setting a password.');
  const password = input.Password!;
  await assertNewPassword(ctx.store, pool, password, { usernames: [user.username, input.Username!], attributes: user.attributes }, 'admin');
  await assertNotRecentlyUsed(ctx.store, pool, user, password);
  const material = await passwordMaterial(ctx.master, pool, user, password);
  const now = ctx.clock.now();
  const permanent = input.Permanent === true;
  await ctx.store.transaction(async (tx) => {
    await tx.passwordHistory.retireCurrent(user.sub, now);
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
  return {};
});
