import { poolByArn } from '../tags.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('ListTagsForResource', async (input, ctx) => {
  const pool = await poolByArn(ctx.store, input.ResourceArn, { region: ctx.caller.region, accountId: ctx.config.accountId });
  return { Tags: pool.settings.UserPoolTags ?? {} };
});
