import type { GetDeviceRequest } from '@aws-sdk/client-cognito-identity-provider';
import { deviceType, requireDevice } from '../../services/devices.ts';
import { accessTokenOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

// GetDevice: one of the signed-in user's confirmed devices; another user's key answers as an unknown one.
export default accessTokenOperation<Wire<GetDeviceRequest>>('GetDevice', async (input, ctx) => {
  return { Device: deviceType(await requireDevice(ctx.store, ctx.caller.user, input.DeviceKey!)) };
});
