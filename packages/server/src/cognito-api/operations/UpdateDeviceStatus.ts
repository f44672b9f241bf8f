import type { UpdateDeviceStatusRequest } from '@aws-sdk/client-cognito-identity-provider';
import { updateDeviceStatus } from '../../services/devices.ts';
import { accessTokenOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

// UpdateDeviceStatus: the user marks one of their devices remembered (it may
// then stand in for MFA) or not_remembered.
export default accessTokenOperation<Wire<UpdateDeviceStatusRequest>>('UpdateDeviceStatus', async (input, ctx) => {
  await updateDeviceStatus(ctx, ctx.caller.user, input.DeviceKey!, input.DeviceRememberedStatus);
  return {};
});
