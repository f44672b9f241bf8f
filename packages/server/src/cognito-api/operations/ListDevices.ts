import { listDevices } from '../../services/devices.ts';
import { accessTokenOperation } from '../operation.ts';

// ListDevices: the signed-in user's confirmed devices, a page at a time (sealed PaginationToken).
export default accessTokenOperation('ListDevices', async (input, ctx) => {
  return listDevices(ctx, ctx.caller.user, input.Limit, input.PaginationToken);
});
