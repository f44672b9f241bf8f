import type { ManagedLoginBranding } from '../../domain/oauth-config.ts';
import { Errors } from '../../errors/cognito-error.ts';
import { requireClient, requirePool } from '../../services/lookups.ts';
import { assetsOf, checkCognitoProvided, describeBranding, settingsOf } from '../branding.ts';
import { operatorOperation } from '../operation.ts';

// A managed-login branding style for one app client: Settings (a JSON
// document, stored as given) and Assets (images, base64), or
// UseCognitoProvidedValues for Cognito's defaults. One style per client
// (ManagedLoginBrandingExistsException; wording ours).
export default operatorOperation('CreateManagedLoginBranding', async (input, ctx) => {
  const useCognito = input.UseCognitoProvidedValues ?? false;
  checkCognitoProvided(useCognito, input.Settings, input.Assets);
  const now = ctx.clock.now();
  const branding: ManagedLoginBranding = {
    id: ctx.ids.uuid(),
    poolId: input.UserPoolId,
    clientId: input.ClientId,
    useCognitoProvidedValues: useCognito,
    settings: settingsOf(input.Settings),
    assets: assetsOf(input.Assets),
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.transaction(async (tx) => {
    await requirePool(tx, input.UserPoolId);
    await requireClient(tx, input.ClientId, input.UserPoolId);
    if (!(await tx.managedLoginBranding.insert(branding))) {
      throw Errors.ManagedLoginBrandingExists(`Managed login branding already exists for client ${input.ClientId}.`);
    }
  });
  return { ManagedLoginBranding: describeBranding(branding) };
});
