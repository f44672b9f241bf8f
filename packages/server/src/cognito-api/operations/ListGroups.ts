import { describeGroup, pageLimit } from '../groups.ts';
import { requirePool } from '../../services/lookups.ts';
import { decodePageToken, encodePageToken } from '../../services/pagination.ts';
import { operatorOperation } from '../operation.ts';

// A pool's groups in name order. The NextToken is sealed and bound to this
// pool, so it can be neither edited nor used to page another pool.
export default operatorOperation('ListGroups', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const limit = pageLimit(input.Limit);
  const scope = `ListGroups:${pool.id}`;
  const after = decodePageToken<{ name: string }>(ctx.master, scope, input.NextToken);
  const rows = await ctx.store.groups.list(pool.id, limit + 1, after?.name ?? null);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? encodePageToken(ctx.master, scope, { name: last.name }) : undefined;
  return { Groups: page.map(describeGroup), ...(next ? { NextToken: next } : {}) };
});
