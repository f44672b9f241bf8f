import type { ForgetDeviceRequest } from '@aws-sdk/client-cognito-identity-provider';
import { forgetDevice } from '../../services/devices.ts';
import { accessTokenOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

// ForgetDevice: the device and its sealed verifier are deleted; its key no longer skips anything.
export default accessTokenOperation<Wire<ForgetDeviceRequest>>('ForgetDevice', async (input, ctx) => {
  await forgetDevice(ctx, ctx.caller.user, input.DeviceKey!);
  return {};
});
