import { Errors } from '../../errors/cognito-error.ts';
import { requirePool } from '../../services/lookups.ts';
import { assetsOf, checkCognitoProvided, describeBranding, requireBranding, settingsOf } from '../branding.ts';
import { operatorOperation } from '../operation.ts';

// Settings and Assets given replace the stored ones; absent ones stay.
// UseCognitoProvidedValues true drops both for Cognito's defaults. The model
// marks no member required, so the two identifiers are checked here.
export default operatorOperation('UpdateManagedLoginBranding', async (input, ctx) => {
  const { UserPoolId: poolId, ManagedLoginBrandingId: id } = input;
  if (poolId === undefined || id === undefined) throw Errors.InvalidParameter('UserPoolId and ManagedLoginBrandingId are required.');
  const useCognito = input.UseCognitoProvidedValues;
  checkCognitoProvided(useCognito === true, input.Settings, input.Assets);
  const assets = input.Assets === undefined ? undefined : assetsOf(input.Assets);
  return ctx.store.transaction(async (tx) => {
    await requirePool(tx, poolId);
    const branding = await requireBranding(tx, poolId, id);
    const cognito = useCognito ?? branding.useCognitoProvidedValues;
    const updated = {
      ...branding,
      useCognitoProvidedValues: cognito,
      settings: useCognito === true ? null : input.Settings !== undefined ? settingsOf(input.Settings) : branding.settings,
      assets: useCognito === true ? [] : (assets ?? branding.assets),
      updatedAt: ctx.clock.now(),
    };
    await tx.managedLoginBranding.update(updated);
    return { ManagedLoginBranding: describeBranding(updated) };
  });
});
