import { requireClient, requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import { decodePageToken } from '../../services/pagination.ts';
import { epochSeconds } from '../../domain/wire.ts';

// A client's secrets, oldest first, by ID and date only: "the response never
// reveals the actual secret value". There are at most two, so one page and
// never a NextToken; a token sent anyway was not issued here and is refused.
export default operatorOperation('ListUserPoolClientSecrets', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const client = await requireClient(ctx.store, input.ClientId, pool.id);
  decodePageToken(ctx.master, `ListUserPoolClientSecrets:${pool.id}:${client.clientId}`, input.NextToken);
  return { ClientSecrets: client.secrets.map((s) => ({ ClientSecretId: s.id, ClientSecretCreateDate: epochSeconds(s.createdAt) })) };
});
