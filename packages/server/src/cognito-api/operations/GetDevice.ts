import { deviceType, requireDevice } from '../../services/devices.ts';
import { accessTokenOperation } from '../operation.ts';

// GetDevice: one of the signed-in user's confirmed devices; another user's key answers as an unknown one.
export default accessTokenOperation('GetDevice', async (input, ctx) => {
  return { Device: deviceType(await requireDevice(ctx.store, ctx.caller.user, input.DeviceKey)) };
});
