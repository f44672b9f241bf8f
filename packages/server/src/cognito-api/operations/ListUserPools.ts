import type { UserPoolDescriptionType } from '@aws-sdk/client-cognito-identity-provider';
import { decodePageToken, encodePageToken } from '../../services/pagination.ts';
import { operatorOperation } from '../operation.ts';
import { epochSeconds, type Wire } from '../../domain/wire.ts';

// Pools in ID order. One row more than asked tells whether another page
// exists, so the last page carries no NextToken. MaxResults (1..60) is
// required; the API model has already checked it.
const SCOPE = 'ListUserPools';

export default operatorOperation('ListUserPools', async (input, ctx) => {
  const limit = input.MaxResults;
  const after = decodePageToken<{ id: string }>(ctx.master, SCOPE, input.NextToken);
  // Each region's endpoint lists that region's pools only.
  const rows = await ctx.store.pools.listPools(limit + 1, after?.id ?? null, ctx.caller.region);
  const page = rows.slice(0, limit);
  const UserPools: Wire<UserPoolDescriptionType>[] = page.map((pool) => ({
    Id: pool.id,
    Name: pool.name,
    LambdaConfig: pool.settings.LambdaConfig ?? {},
    CreationDate: epochSeconds(pool.createdAt),
    LastModifiedDate: epochSeconds(pool.updatedAt),
  }));
  const last = page.at(-1);
  return { UserPools, ...(rows.length > limit && last ? { NextToken: encodePageToken(ctx.master, SCOPE, { id: last.id }) } : {}) };
});
