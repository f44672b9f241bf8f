import { requirePool } from '../../services/lookups.ts';
import { customizationTarget, describeCustomization } from '../ui-customization.ts';
import { operatorOperation } from '../operation.ts';

// The client's customization, else the pool's ('ALL'); with neither set,
// a UICustomization naming only the pool and client.
export default operatorOperation('GetUICustomization', async (input, ctx) => {
  await requirePool(ctx.store, input.UserPoolId);
  const clientId = await customizationTarget(ctx.store, input.UserPoolId, input.ClientId);
  const found = await ctx.store.uiCustomizations.get(input.UserPoolId, clientId);
  return { UICustomization: found ? describeCustomization(found, ctx.config.publicUrl) : { UserPoolId: input.UserPoolId, ClientId: clientId } };
});
