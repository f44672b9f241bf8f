import type { DescribeUserPoolRequest } from '@aws-sdk/client-cognito-identity-provider';
import { describePool } from '../describe.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

export default operatorOperation<Wire<DescribeUserPoolRequest>>('DescribeUserPool', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  const estimatedUsers = await ctx.store.users.countInPool(pool.id);
  return { UserPool: describePool(pool, { accountId: ctx.config.accountId, estimatedUsers }) };
});
