import type { SessionConfiguration } from '../../domain/pool-settings.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Replaces the pool's session configuration as a whole (every member is
// required). With tracking ENABLED, a sign-in that would take the user past
// MaxPerUser live token sessions first revokes their oldest ones
// (TokenService.completeSignIn); lowering the cap evicts nothing until then,
// as the API reference says of UserPoolTokenSessionConfigType. Cognito allows
// it in the Essentials and Plus tiers only; the wording for a Lite pool is ours.
// Cognate keeps its token families whatever the setting, so the session
// listing and revocation operations answer either way.
export default operatorOperation('SetUserPoolSessionConfiguration', async (input, ctx) => {
  return ctx.store.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    if (pool.settings.UserPoolTier === 'LITE') {
      throw Errors.FeatureUnavailableInTier('Session management is not available in the Lite tier of Amazon Cognito user pools.');
    }
    const config: SessionConfiguration = {
      UserSessionTracking: input.UserSessionTracking === 'ENABLED' ? 'ENABLED' : 'DISABLED',
      TokenSession: { MaxPerUser: input.TokenSession.MaxPerUser ?? 20 },
    };
    await tx.pools.updatePool({ ...pool, settings: { ...pool.settings, SessionConfiguration: config }, updatedAt: ctx.clock.now() });
    return { UserPoolId: pool.id, ...config };
  });
});
