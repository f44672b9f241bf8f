import { requirePool } from '../../services/lookups.ts';
import { describeBranding, requireBranding } from '../branding.ts';
import { operatorOperation } from '../operation.ts';

// ReturnMergedResources asks for Cognito's defaults merged in; Cognate keeps
// no default style of its own to merge, so the stored style is returned.
export default operatorOperation('DescribeManagedLoginBranding', async (input, ctx) => {
  await requirePool(ctx.store, input.UserPoolId);
  return { ManagedLoginBranding: describeBranding(await requireBranding(ctx.store, input.UserPoolId, input.ManagedLoginBrandingId)) };
});
