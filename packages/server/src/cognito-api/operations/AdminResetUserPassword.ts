import type { AdminResetUserPasswordRequest } from '@aws-sdk/client-cognito-identity-provider';
import { Errors } from '../../errors/cognito-error.ts';
import { sendCode } from '../../services/messages.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';
import { recoveryContact } from './ForgotPassword.ts';

// Deactivates the user's password (AWS: "requiring them to change it"): the
// status becomes RESET_REQUIRED, so sign-in answers
// PasswordResetRequiredException, and a one-hour reset code goes to the
// user's verified contact chosen as ForgotPassword chooses it. The user
// finishes with ConfirmForgotPassword (which confirms them again) or asks
// ForgotPassword for a new code. The API needs self-service recovery: a user
// without a verified email or phone (or a pool whose recovery is admin_only)
// gets ForgotPassword's InvalidParameterException and nothing changes.
// The password hash stays (it no longer signs in), so ChangePassword cannot be
// used without the old password; existing sessions are not revoked, as the
// API reference does not say Cognito revokes them (AdminUserGlobalSignOut does).
// ClientMetadata only feeds Lambda triggers, which Cognate does not run.
export default operatorOperation<Wire<AdminResetUserPasswordRequest>>('AdminResetUserPassword', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  const user = await requireUser(ctx.store, pool, input.Username!);
  // An archived account answers as a disabled one until restored (services/lifecycle.ts).
  if (!user.enabled || user.status === 'ARCHIVED') throw Errors.NotAuthorized('User is disabled.');
  // An invited user who never signed in has only the temporary password (Cognito's wording, as in ForgotPassword).
  if (user.status === 'FORCE_CHANGE_PASSWORD') throw Errors.NotAuthorized('User password cannot be reset in the current state.');
  const contact = recoveryContact(pool, user);
  if (!contact) throw Errors.InvalidParameter('Cannot reset password for the user as there is no registered/verified email or phone_number');
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.users.update(user.sub, { status: 'RESET_REQUIRED' }, now);
    await sendCode(ctx, tx, pool, user, 'forgot-password', contact);
  });
  return {};
});
