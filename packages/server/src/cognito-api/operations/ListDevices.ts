import type { ListDevicesRequest } from '@aws-sdk/client-cognito-identity-provider';
import { listDevices } from '../../services/devices.ts';
import { accessTokenOperation } from '../operation.ts';
import type { Wire } from '../../domain/wire.ts';

// ListDevices: the signed-in user's confirmed devices, a page at a time (sealed PaginationToken).
export default accessTokenOperation<Wire<ListDevicesRequest>>('ListDevices', async (input, ctx) => {
  return listDevices(ctx, ctx.caller.user, input.Limit, input.PaginationToken);
});
