import type { ConfirmForgotPasswordRequest } from '@aws-sdk/client-cognito-identity-provider';
import { preventsUserExistenceErrors } from '../../domain/client-settings.ts';
import { assertNewPassword } from '../../services/password-rules.ts';
import type { UserStatus } from '../../domain/user.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { checkCode, consumeCheckedCode, countAttempt } from '../../services/codes.ts';
import { noteAuthEvent } from '../../services/auth-events.ts';
import { checkPasswordAsIfKnown, countUnknownNameAttempt } from '../../services/existence.ts';
import { assertNotRecentlyUsed } from '../../services/password-history.ts';
import { passwordMaterial } from '../../services/password-material.ts';
import { checkSecretHash, findUserBySignInName, requireClientAndPool } from '../../services/lookups.ts';
import { publicOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

// Cognito allows 5 to 20 of these an hour per user; each code also dies after
// five wrong guesses (consumeCode), so the hourly cap is the generous end.
const ATTEMPTS_PER_HOUR = 20;

// Statuses a successful reset leaves behind. The code proves the user holds a
// verified contact, which is what sign-up confirmation proves, so an
// UNCONFIRMED user who resets is confirmed too.
// COMPROMISED (services/lifecycle.ts) ends here too: the exposed password is replaced.
const CONFIRMED_BY_RESET: readonly UserStatus[] = ['UNCONFIRMED', 'RESET_REQUIRED', 'FORCE_CHANGE_PASSWORD', 'COMPROMISED'];

// Sets a new password with the code ForgotPassword sent. The policy is checked
// before the code is spent, so a rejected password does not burn the code; a
// wrong code counts against it even though the call fails. Lockout counters
// are cleared: the user proved control of their contact.
export default publicOperation<Wire<ConfirmForgotPasswordRequest>>('ConfirmForgotPassword', async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.store, input.ClientId!);
  checkSecretHash(client, input.Username!, input.SecretHash);
  const user = await findUserBySignInName(ctx.store, pool, input.Username!);
  // With PreventUserExistenceErrors ENABLED, unknown and disabled users get a
  // wrong-code answer (developer guide, "Managing user existence error responses").
  const hide = preventsUserExistenceErrors(client);
  if (!user) {
    if (hide) {
      // The cap and the policy check a real account meets before its code is looked at.
      await countUnknownNameAttempt(ctx, pool, 'ConfirmForgotPassword', input.Username!, ATTEMPTS_PER_HOUR);
      await checkPasswordAsIfKnown(ctx.store, pool, input.Username!, input.Password!);
      throw Errors.CodeMismatch('Invalid verification code provided, please try again.');
    }
    throw Errors.UserNotFound('User does not exist.');
  }
  // An archived account is unusable until restored: answered as a disabled one (services/lifecycle.ts).
  if (!user.enabled || user.status === 'ARCHIVED') {
    if (hide) {
      // The cap and the policy check an enabled account (and an unknown name) meet before the code is looked at.
      await countAttempt(ctx.store, ctx.clock, `ConfirmForgotPassword:${user.sub}`, ATTEMPTS_PER_HOUR);
      await assertNewPassword(ctx.store, pool, input.Password!, { usernames: [user.username, input.Username!], attributes: user.attributes });
      throw Errors.CodeMismatch('Invalid verification code provided, please try again.');
    }
    throw Errors.NotAuthorized('User is disabled.');
  }
  noteAuthEvent(ctx, user, 'ForgotPassword');
  await countAttempt(ctx.store, ctx.clock, `ConfirmForgotPassword:${user.sub}`, ATTEMPTS_PER_HOUR);
  await assertNewPassword(ctx.store, pool, input.Password!, { usernames: [user.username, input.Username!], attributes: user.attributes });
  const codeId = await checkCode(ctx.store, ctx, user, 'forgot-password', input.ConfirmationCode!);
  // After the code: only its holder may learn whether a password was used before. A reused one leaves the code usable.
  await assertNotRecentlyUsed(ctx.store, pool, user, input.Password!);

  // The code is used up in the same transaction that sets the password: a failure leaves it usable.
  const material = await passwordMaterial(ctx.master, pool, user, input.Password!);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await consumeCheckedCode(tx, ctx.clock, codeId);
    await tx.passwordHistory.retireCurrent(user.sub, now);
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
  return {};
});
