import { requirePool, requireUser } from '../../services/lookups.ts';
import { markCompromised } from '../../services/lifecycle.ts';
import { cognateOperation } from '../operation.ts';
import { UsernameField, UserPoolIdField } from '../schema.ts';

// COMPROMISED: every session revoked now, sign-in refused with
// PasswordResetRequiredException until the password is reset
// (ForgotPassword + ConfirmForgotPassword, or AdminSetUserPassword).
export default cognateOperation('AdminMarkUserCompromised', { UserPoolId: UserPoolIdField, Username: UsernameField }, async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  await markCompromised(ctx.store, ctx.clock, user, `operator:${ctx.caller.accessKeyId}`);
  return {};
});
