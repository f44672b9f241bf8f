import { updateDeviceStatus } from '../../services/devices.ts';
import { accessTokenOperation } from '../operation.ts';

// UpdateDeviceStatus: the user marks one of their devices remembered (it may
// then stand in for MFA) or not_remembered.
export default accessTokenOperation('UpdateDeviceStatus', async (input, ctx) => {
  await updateDeviceStatus(ctx, ctx.caller.user, input.DeviceKey, input.DeviceRememberedStatus);
  return {};
});
