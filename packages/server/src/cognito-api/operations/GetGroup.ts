import type { GetGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import { describeGroup, requireGroup } from '../groups.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

export default operatorOperation<Wire<GetGroupRequest>>('GetGroup', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  return { Group: describeGroup(await requireGroup(ctx.store, pool.id, input.GroupName!)) };
});
