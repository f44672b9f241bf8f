import { requirePool, requireUser } from '../../services/lookups.ts';
import { requirePasswordReset } from '../../services/users.ts';
import { operatorOperation } from '../operation.ts';
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
// ClientMetadata only feeds Lambda triggers (CustomMessage, the custom senders).
// The checks and the change are services/users.ts requirePasswordReset.
export default operatorOperation('AdminResetUserPassword', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  // The contact is chosen before the status is checked; choosing it changes nothing.
  await requirePasswordReset(ctx, pool, user, recoveryContact(pool, user), input.ClientMetadata);
  return {};
});
