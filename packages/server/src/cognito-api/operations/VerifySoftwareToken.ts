import { Errors } from '../../errors/cognito-error.ts';
import { advanceSetupSession, softwareTokenCaller } from '../../services/software-token.ts';
import { openTotpSecret, totpStep } from '../../services/totp.ts';
import { publicOperation } from '../operation.ts';

// Checks a code from the authenticator set up by AssociateSoftwareToken; when
// right, that secret becomes the user's verified authenticator (replacing any
// earlier one), with its FriendlyDeviceName, and the code's step counts as
// used. Through an access token the factor is then only verified (the user
// turns it on with SetUserMFAPreference); through an MFA_SETUP Session it is
// also turned on, and a new Session comes back to answer MFA_SETUP with.
// A wrong code: EnableSoftwareTokenMFAException, Cognito's text.
export default publicOperation('VerifySoftwareToken', async (input, ctx) => {
  const caller = await softwareTokenCaller(ctx, input);
  const row = await ctx.store.mfa.get(caller.user.sub);
  if (!row?.totp_pending_sealed) throw Errors.SoftwareTokenMFANotFound('Software Token MFA has not been associated with the user.');
  const step = totpStep(openTotpSecret(ctx.master, caller.user.sub, row.totp_pending_sealed), input.UserCode, ctx.clock.now());
  if (step === null) throw Errors.EnableSoftwareTokenMFA('Code mismatch and fail enable Software Token MFA');
  const patch = {
    totp_secret_sealed: row.totp_pending_sealed,
    totp_pending_sealed: null,
    totp_friendly_name: input.FriendlyDeviceName ?? null,
    totp_last_step: step,
    ...(caller.kind === 'session' ? { totp_enabled: 1 } : {}),
  };
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    // Still the secret that was checked: a concurrent AssociateSoftwareToken replaced it otherwise.
    if ((await tx.mfa.get(caller.user.sub))?.totp_pending_sealed !== row.totp_pending_sealed)
      throw Errors.EnableSoftwareTokenMFA('Code mismatch and fail enable Software Token MFA');
    await tx.mfa.upsert(caller.user.sub, caller.user.poolId, patch, now);
    if (caller.kind === 'token') return { Status: 'SUCCESS' };
    return { Status: 'SUCCESS', Session: await advanceSetupSession(tx, ctx, caller, 'verified') };
  });
});
