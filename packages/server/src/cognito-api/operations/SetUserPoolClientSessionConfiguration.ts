import { Errors } from '../../errors/cognito-error.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// Stores how long, in minutes since the user last signed in, this client may
// reuse the browser's managed-login session without asking again (0: never).
// The setting is dormant while the pool's session tracking is DISABLED, as the
// API reference says of SetUserPoolSessionConfiguration. Cognate stores and
// reports it; its managed-login session (oauth/hosted-session.ts) does not
// read it yet. Essentials and Plus only, as SetUserPoolSessionConfiguration.
export default operatorOperation('SetUserPoolClientSessionConfiguration', async (input, ctx) => {
  return ctx.store.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const client = await requireClient(tx, input.ClientId, pool.id);
    if (pool.settings.UserPoolTier === 'LITE') {
      throw Errors.FeatureUnavailableInTier('Session management is not available in the Lite tier of Amazon Cognito user pools.');
    }
    const SSOSession = { MaxValidityMinutes: input.SSOSession.MaxValidityMinutes ?? 60 };
    await tx.pools.updateClient({ ...client, settings: { ...client.settings, SSOSession }, updatedAt: ctx.clock.now() });
    return { UserPoolId: pool.id, ClientId: client.clientId, SSOSession };
  });
});
