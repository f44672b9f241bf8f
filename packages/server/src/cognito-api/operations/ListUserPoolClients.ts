import type { UserPoolClientDescription } from '@aws-sdk/client-cognito-identity-provider';
import { requirePool } from '../../services/lookups.ts';
import { decodePageToken, encodePageToken } from '../../services/pagination.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

// A pool's clients in ID order, MaxResults 1..60 (model-checked), 60 when
// absent. The token is bound to the pool, so it cannot page another pool.
export default operatorOperation('ListUserPoolClients', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const scope = `ListUserPoolClients:${pool.id}`;
  const limit = input.MaxResults ?? 60;
  const after = decodePageToken<{ id: string }>(ctx.master, scope, input.NextToken);
  const rows = await ctx.store.pools.listClients(pool.id, limit + 1, after?.id ?? null);
  const page = rows.slice(0, limit);
  const UserPoolClients: Wire<UserPoolClientDescription>[] = page.map((c) => ({ ClientId: c.clientId, UserPoolId: c.poolId, ClientName: c.name }));
  const last = page.at(-1);
  return { UserPoolClients, ...(rows.length > limit && last ? { NextToken: encodePageToken(ctx.master, scope, { id: last.clientId }) } : {}) };
});
