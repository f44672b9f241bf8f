import { requirePool } from '../../services/lookups.ts';
import { decodePageToken, encodePageToken } from '../../services/pagination.ts';
import { summarizeTerms } from '../terms.ts';
import { operatorOperation } from '../operation.ts';

// The pool's terms documents in creation order, MaxResults (1–60, the
// model's range; 60 when absent) at a time, with a sealed NextToken bound to
// the pool.
export default operatorOperation('ListTerms', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const limit = input.MaxResults ?? 60;
  const scope = `ListTerms:${pool.id}`;
  const after = decodePageToken<{ createdAt: number; id: string }>(ctx.master, scope, input.NextToken);
  const rows = await ctx.store.terms.list(pool.id, limit + 1, after);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? encodePageToken(ctx.master, scope, { createdAt: last.createdAt, id: last.id }) : undefined;
  return { Terms: page.map(summarizeTerms), ...(next ? { NextToken: next } : {}) };
});
