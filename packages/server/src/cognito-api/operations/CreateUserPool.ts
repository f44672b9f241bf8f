import { newSigningKey } from '../../crypto/signing-keys.ts';
import { newPoolSettings } from '../../domain/pool-settings.ts';
import { newPoolId } from '../../services/ids.ts';
import { describePool } from '../describe.ts';
import { operatorOperation } from '../operation.ts';

// A pool with its settings (Cognito's defaults where the request is silent),
// its two signing keys (ID and access tokens are signed by different keys)
// and its choice of Cognate's extra password rules (--password-extra-checks).
export default operatorOperation('CreateUserPool', async (input, ctx) => {
  const settings = newPoolSettings(input);
  const now = ctx.clock.now();
  // Created in the region the call was signed for: its ID, ARN and token issuer carry it.
  const id = newPoolId(ctx.ids, ctx.caller.region);
  const [idKey, accessKey] = await Promise.all([newSigningKey(ctx.master, id, 'id', now), newSigningKey(ctx.master, id, 'access', now)]);
  const pool = { id, name: input.PoolName, settings, createdAt: now, updatedAt: now };
  await ctx.store.transaction(async (tx) => {
    await tx.pools.insertPool(pool);
    await tx.pools.insertSigningKey(idKey);
    await tx.pools.insertSigningKey(accessKey);
    // Cognate's extra password rules: the server's default for new pools, kept with the pool so changing the flag later leaves it alone.
    const extra = ctx.config.passwordExtraChecks;
    await tx.passwordChecks.setChecks(id, { rejectContextWords: extra, rejectCommonPasswords: extra }, now);
  });
  return { UserPool: describePool(pool, { accountId: ctx.config.accountId, estimatedUsers: 0 }) };
});
