import type { ManagedLoginBrandingType } from '@aws-sdk/client-cognito-identity-provider';
import type { BrandingAsset, ManagedLoginBranding } from '../domain/oauth-config.ts';
import { epochSeconds, type Wire } from '../domain/wire.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';

/** AssetBytesType's limit (the model's; its validator leaves blob sizes to the operation). */
const MAX_ASSET_BYTES = 1_000_000;

type AssetInput = {
  Category?: string | undefined;
  ColorMode?: string | undefined;
  Extension?: string | undefined;
  Bytes?: string | undefined;
  ResourceId?: string | undefined;
};

/** Assets as stored (Bytes kept in base64, as on the wire). Category, ColorMode and Extension are model-required and checked. */
export function assetsOf(given: AssetInput[] | undefined): BrandingAsset[] {
  return (given ?? []).map((a) => {
    if (a.Bytes !== undefined && Buffer.from(a.Bytes, 'base64').length > MAX_ASSET_BYTES) {
      throw Errors.InvalidParameter(`An asset must be at most ${MAX_ASSET_BYTES} bytes.`);
    }
    return {
      Category: a.Category ?? '',
      ColorMode: a.ColorMode ?? '',
      Extension: a.Extension ?? '',
      ...(a.Bytes !== undefined ? { Bytes: a.Bytes } : {}),
      ...(a.ResourceId !== undefined ? { ResourceId: a.ResourceId } : {}),
    };
  });
}

/** Settings is a JSON document; the model makes it an object (any other JSON type is a SerializationException before this). */
export const settingsOf = (given: unknown): Record<string, unknown> | null =>
  given === undefined || given === null ? null : (given as Record<string, unknown>);

/**
 * "When you specify true for this option, you must also omit values for
 * Settings and Assets in the request" (API reference,
 * CreateManagedLoginBranding). Wording ours (Cognito's unconfirmed).
 */
export function checkCognitoProvided(useCognito: boolean, settings: unknown, assets: unknown[] | undefined): void {
  if (useCognito && (settings !== undefined || (assets !== undefined && assets.length > 0))) {
    throw Errors.InvalidParameter('Settings and Assets must be omitted when UseCognitoProvidedValues is true.');
  }
}

export const describeBranding = (b: ManagedLoginBranding): Wire<ManagedLoginBrandingType> => ({
  ManagedLoginBrandingId: b.id,
  UserPoolId: b.poolId,
  UseCognitoProvidedValues: b.useCognitoProvidedValues,
  ...(b.settings !== null ? { Settings: b.settings as Wire<ManagedLoginBrandingType>['Settings'] } : {}),
  Assets: b.assets as Wire<ManagedLoginBrandingType>['Assets'],
  CreationDate: epochSeconds(b.createdAt),
  LastModifiedDate: epochSeconds(b.updatedAt),
});

/** The pool's branding style with this ID, or ResourceNotFoundException (wording ours). */
export async function requireBranding(store: Store, poolId: string, id: string): Promise<ManagedLoginBranding> {
  const branding = await store.managedLoginBranding.get(poolId, id);
  if (!branding) throw Errors.ResourceNotFound(`Managed login branding ${id} does not exist.`);
  return branding;
}
