import type { AdminForgetDeviceRequest } from '@aws-sdk/client-cognito-identity-provider';
import { forgetDevice } from '../../services/devices.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

export default operatorOperation<Wire<AdminForgetDeviceRequest>>('AdminForgetDevice', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId!);
  const user = await requireUser(ctx.store, pool, input.Username!);
  await forgetDevice(ctx, user, input.DeviceKey!);
  return {};
});
