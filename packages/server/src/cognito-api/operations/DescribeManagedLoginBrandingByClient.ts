import { Errors } from '../../errors/cognito-error.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { describeBranding } from '../branding.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('DescribeManagedLoginBrandingByClient', async (input, ctx) => {
  await requirePool(ctx.store, input.UserPoolId);
  await requireClient(ctx.store, input.ClientId, input.UserPoolId);
  const branding = await ctx.store.managedLoginBranding.forClient(input.UserPoolId, input.ClientId);
  // Wording ours (Cognito's unconfirmed).
  if (!branding) throw Errors.ResourceNotFound(`Managed login branding for client ${input.ClientId} does not exist.`);
  return { ManagedLoginBranding: describeBranding(branding) };
});
