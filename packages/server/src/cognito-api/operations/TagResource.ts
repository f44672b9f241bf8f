import { Errors } from '../../errors/cognito-error.ts';
import { MAX_TAGS, poolByArn } from '../tags.ts';
import { operatorOperation } from '../operation.ts';

// Adds tags to a pool, replacing the values of keys it already has; they show
// as UserPoolTags in DescribeUserPool.
export default operatorOperation('TagResource', async (input, ctx) => {
  await ctx.store.transaction(async (tx) => {
    const pool = await poolByArn(tx, input.ResourceArn, { region: ctx.caller.region, accountId: ctx.config.accountId });
    const tags = { ...pool.settings.UserPoolTags, ...input.Tags };
    if (Object.keys(tags).length > MAX_TAGS) throw Errors.InvalidParameter(`A user pool can have at most ${MAX_TAGS} tags.`);
    await tx.pools.updatePool({ ...pool, settings: { ...pool.settings, UserPoolTags: tags }, updatedAt: ctx.clock.now() });
  });
  return {};
});
