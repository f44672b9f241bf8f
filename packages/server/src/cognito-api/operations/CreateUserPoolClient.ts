import type { CreateUserPoolClientRequest } from '@aws-sdk/client-cognito-identity-provider';
import { newClientSettings } from '../../domain/client-settings.ts';
import { newClientId, newClientSecret } from '../../services/ids.ts';
import { describeClient } from '../describe.ts';
import { requirePool } from '../lookups.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../wire.ts';

export default operatorOperation<Wire<CreateUserPoolClientRequest>>('CreateUserPoolClient', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  const settings = newClientSettings(input);
  const now = ctx.clock.now();
  const client = {
    clientId: newClientId(ctx.ids),
    poolId: pool.id,
    name: input.ClientName!,
    secret: input.GenerateSecret ? newClientSecret(ctx.ids) : null,
    settings,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.pools.insertClient(client);
  return { UserPoolClient: describeClient(client) };
});
