import type { AdminListDevicesRequest } from '@aws-sdk/client-cognito-identity-provider';
import { listDevices } from '../../services/devices.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

export default operatorOperation<Wire<AdminListDevicesRequest>>('AdminListDevices', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  const user = await requireUser(ctx.store, pool, input.Username!);
  return listDevices(ctx, user, input.Limit, input.PaginationToken);
});
