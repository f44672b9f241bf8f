import { advanceSetupSession, softwareTokenCaller } from '../../services/software-token.ts';
import { newTotpSecret, sealTotpSecret } from '../../services/totp.ts';
import { publicOperation } from '../operation.ts';

// A new TOTP secret for the user's authenticator app (SecretCode, base32).
// Authorized by an access token or by an MFA_SETUP Session (then a new
// Session comes back for VerifySoftwareToken). The secret is kept sealed and
// pending: it replaces a verified authenticator only once VerifySoftwareToken
// accepts a code from it, so an unverified association locks no one out.
export default publicOperation('AssociateSoftwareToken', async (input, ctx) => {
  const caller = await softwareTokenCaller(ctx, input);
  const secret = newTotpSecret(ctx.ids);
  const pending = { totp_pending_sealed: sealTotpSecret(ctx.master, caller.user.sub, secret) };
  const now = ctx.clock.now();
  if (caller.kind === 'token') {
    await ctx.store.mfa.upsert(caller.user.sub, caller.user.poolId, pending, now);
    return { SecretCode: secret };
  }
  const session = await ctx.store.transaction(async (tx) => {
    await tx.mfa.upsert(caller.user.sub, caller.user.poolId, pending, now);
    return advanceSetupSession(tx, ctx, caller, 'associated');
  });
  return { SecretCode: secret, Session: session };
});
