import { requirePool } from '../../services/lookups.ts';
import { decodePageToken, encodePageToken } from '../../services/pagination.ts';
import { describeResourceServer } from '../resource-servers.ts';
import { operatorOperation } from '../operation.ts';

// A pool's resource servers in identifier order, MaxResults (1–50, the
// model's range; 50 when absent) at a time. The NextToken is sealed and bound
// to this pool, as ListGroups' is.
export default operatorOperation('ListResourceServers', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const limit = input.MaxResults ?? 50;
  const scope = `ListResourceServers:${pool.id}`;
  const after = decodePageToken<{ identifier: string }>(ctx.master, scope, input.NextToken);
  const rows = await ctx.store.resourceServers.list(pool.id, limit + 1, after?.identifier ?? null);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? encodePageToken(ctx.master, scope, { identifier: last.identifier }) : undefined;
  return { ResourceServers: page.map(describeResourceServer), ...(next ? { NextToken: next } : {}) };
});
