import { createHash } from 'node:crypto';
import { parseUserFilter } from '../../domain/list-users-filter.ts';
import { isCaseSensitive } from '../../domain/pool-settings.ts';
import { Errors } from '../../errors/cognito-error.ts';
import type { UserPageCursor } from '../../store/users.ts';
import { requirePool } from '../../services/lookups.ts';
import { describeUser } from '../describe.ts';
import { decodePageToken, encodePageToken } from '../../services/pagination.ts';
import { operatorOperation } from '../operation.ts';

// ListUsers: one page of a pool's users in creation order, the Filter
// evaluated in the database (store.users.list). The PaginationToken is sealed
// and bound to this pool, so it can be neither edited nor used on another pool.
// It also carries a digest of the query (Filter, AttributesToGet) it was issued
// for: Cognito documents that a token is presented "with the same parameters"
// and refuses one from another query ("Paging marker … is invalid for
// request …", aws/aws-sdk-js#3705). Limit may change between pages.
export default operatorOperation('ListUsers', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  // The model allows 0..60; Cognito refuses 0 as a page size (it answers
  // that the page size must be at least 1). No Limit means the maximum, 60.
  const limit = input.Limit ?? 60;
  if (limit < 1)
    throw Errors.InvalidParameter(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  const filter = parseUserFilter(input.Filter);
  const scope = `ListUsers:${pool.id}`;
  const query = queryDigest(filter, input.AttributesToGet);
  const after = decodePageToken<UserPageCursor & { query?: string }>(ctx.master, scope, input.PaginationToken);
  if (after && after.query !== query) {
    throw Errors.InvalidParameter(`Paging marker ${input.PaginationToken!} is invalid for request ${ctx.request.requestId}`);
  }

  const cursor = after ? { createdAt: after.createdAt, sub: after.sub } : null;
  const rows = await ctx.store.users.list(pool.id, filter, limit + 1, cursor, { caseSensitiveUsernames: isCaseSensitive(pool) });
  const page = rows.slice(0, limit);
  const wanted = input.AttributesToGet;
  // Cognito refuses the whole page when a listed user lacks a requested
  // attribute (ListUsers reference, AttributesToGet); an empty list returns
  // users without attributes.
  if (wanted?.some((name) => page.some((u) => u.attributes[name] === undefined))) {
    throw Errors.InvalidParameter('One or more requested attributes do not exist.');
  }
  const Users = page.map((u) => describeUser(u, wanted ? (name) => wanted.includes(name) : undefined));
  const last = page.at(-1);
  const next = rows.length > limit && last ? encodePageToken(ctx.master, scope, { createdAt: last.createdAt, sub: last.sub, query }) : undefined;
  return { Users, ...(next ? { PaginationToken: next } : {}) };
});

// The query a page belongs to, normalized so that equivalent spellings match:
// the parsed Filter (spacing and an empty filter do not matter) and the set of
// requested attributes (order and repeats do not matter; none requested and an
// empty list differ, as they return different attributes).
function queryDigest(filter: ReturnType<typeof parseUserFilter>, wanted: string[] | undefined): string {
  const attributes = wanted === undefined ? null : [...new Set(wanted)].sort();
  return createHash('sha256').update(JSON.stringify({ filter, attributes })).digest('base64url').slice(0, 22);
}
