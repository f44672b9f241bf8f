import { deviceType, requireDevice } from '../../services/devices.ts';
import { requirePool, requireUser } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('AdminGetDevice', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  const user = await requireUser(ctx.store, pool, input.Username);
  return { Device: deviceType(await requireDevice(ctx.store, user, input.DeviceKey)) };
});
