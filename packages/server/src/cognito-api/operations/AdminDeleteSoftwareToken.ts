import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Deletes the user's verified authenticator (TOTP factor) and any preference
// for it; their other factors stay as they are (API reference). The next
// sign-in then follows the pool's MFA setting with what remains: a pool that
// requires MFA sends a user left with no factor through MFA_SETUP, and one
// with SMS or email MFA enabled is challenged with that. An authenticator
// being associated (AssociateSoftwareToken not yet verified) is left alone:
// verifying it is how the user registers a new one. A user without an
// authenticator gets success (the SDK lists no error for it).
export default operatorOperation('AdminDeleteSoftwareToken', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  const row = await ctx.store.mfa.get(user.sub);
  if (!row) return {};
  await ctx.store.mfa.upsert(
    user.sub,
    user.poolId,
    {
      totp_secret_sealed: null,
      totp_friendly_name: null,
      totp_last_step: null,
      totp_enabled: 0,
      preferred: row.preferred === 'SOFTWARE_TOKEN_MFA' ? null : row.preferred,
    },
    ctx.clock.now(),
  );
  return {};
});
