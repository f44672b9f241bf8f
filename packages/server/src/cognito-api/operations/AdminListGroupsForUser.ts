import { comparePrecedence } from '../../domain/group.ts';
import { describeGroup, pageLimit } from '../groups.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { decodePageToken, encodePageToken } from '../../services/pagination.ts';
import { operatorOperation } from '../operation.ts';

interface Cursor {
  precedence: number | null;
  name: string;
}

// A user's groups in the order of the `cognito:groups` claim (precedence,
// null last, then name). A user has at most 100 groups, so they are read
// whole and paged in memory; the cursor is a position in that order, so a
// group added or removed between pages neither repeats nor skips others. The
// token is sealed and bound to this pool and user.
export default operatorOperation('AdminListGroupsForUser', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  const limit = pageLimit(input.Limit);
  const scope = `AdminListGroupsForUser:${pool.id}:${user.sub}`;
  const after = decodePageToken<Cursor>(ctx.master, scope, input.NextToken);
  const all = (await ctx.store.groups.forUser(user.sub)).sort(comparePrecedence);
  const rest = after ? all.filter((g) => comparePrecedence(g, after) > 0) : all;
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  const next = rest.length > limit && last ? encodePageToken(ctx.master, scope, { precedence: last.precedence, name: last.name } satisfies Cursor) : undefined;
  return { Groups: page.map(describeGroup), ...(next ? { NextToken: next } : {}) };
});
