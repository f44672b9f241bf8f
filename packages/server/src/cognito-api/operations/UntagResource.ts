import { poolByArn } from '../tags.ts';
import { operatorOperation } from '../operation.ts';

// Removes the named tag keys; keys the pool does not have are ignored.
export default operatorOperation('UntagResource', async (input, ctx) => {
  await ctx.store.transaction(async (tx) => {
    const pool = await poolByArn(tx, input.ResourceArn, { region: ctx.caller.region, accountId: ctx.config.accountId });
    const drop = new Set(input.TagKeys);
    const tags = Object.fromEntries(Object.entries(pool.settings.UserPoolTags ?? {}).filter(([k]) => !drop.has(k)));
    await tx.pools.updatePool({ ...pool, settings: { ...pool.settings, UserPoolTags: tags }, updatedAt: ctx.clock.now() });
  });
  return {};
});
