import { requirePool } from '../../services/lookups.ts';
import { requireBranding } from '../branding.ts';
import { operatorOperation } from '../operation.ts';

export default operatorOperation('DeleteManagedLoginBranding', async (input, ctx) => {
  await ctx.store.transaction(async (tx) => {
    await requirePool(tx, input.UserPoolId);
    const branding = await requireBranding(tx, input.UserPoolId, input.ManagedLoginBrandingId);
    await tx.managedLoginBranding.delete(branding.id);
  });
  return {};
});
