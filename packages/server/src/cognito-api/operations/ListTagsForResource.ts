import type { ListTagsForResourceRequest } from '@aws-sdk/client-cognito-identity-provider';
import { poolByArn } from '../tags.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

export default operatorOperation<Wire<ListTagsForResourceRequest>>('ListTagsForResource', async (input, ctx) => {
  const pool = await poolByArn(ctx.store, input.ResourceArn!, { region: ctx.caller.region, accountId: ctx.config.accountId });
  return { Tags: pool.settings.UserPoolTags ?? {} };
});
