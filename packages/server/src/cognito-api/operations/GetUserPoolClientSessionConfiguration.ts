import { ssoSessionOf } from '../../domain/client-settings.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// The app client's SSO session setting; a client never configured answers
// Cognito's default of 60 minutes (ClientSSOSessionConfigType).
export default operatorOperation('GetUserPoolClientSessionConfiguration', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const client = await requireClient(ctx.store, input.ClientId, pool.id);
  return { UserPoolId: pool.id, ClientId: client.clientId, SSOSession: ssoSessionOf(client) };
});
