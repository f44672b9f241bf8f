import { forgetDevice } from '../../services/devices.ts';
import { accessTokenOperation } from '../operation.ts';

// ForgetDevice: the device and its sealed verifier are deleted; its key no longer skips anything.
export default accessTokenOperation('ForgetDevice', async (input, ctx) => {
  await forgetDevice(ctx, ctx.caller.user, input.DeviceKey);
  return {};
});
