import type { UICustomizationType } from '@aws-sdk/client-cognito-identity-provider';
import { ALL_CLIENTS, type UiCustomization } from '../domain/oauth-config.ts';
import { epochSeconds, type Wire } from '../domain/wire.ts';
import { Errors } from '../errors/cognito-error.ts';
import { requireClient } from '../services/lookups.ts';
import type { Store } from '../store/store.ts';

/** The client a Get/SetUICustomization names: 'ALL' (absent or given) is the pool's default, otherwise a client of the pool. */
export async function customizationTarget(store: Store, poolId: string, clientId: string | undefined): Promise<string> {
  if (clientId === undefined || clientId === ALL_CLIENTS) return ALL_CLIENTS;
  return (await requireClient(store, clientId, poolId)).clientId;
}

/**
 * The logo's type from its first bytes. The classic hosted UI takes a PNG or
 * JPEG logo of at most 100 KB (DG cognito-user-pools-app-ui-customization.html;
 * the model allows 131072 bytes, which is what is enforced). Wording ours.
 */
export function imageTypeOf(image: Buffer): string {
  if (image.length > 131072) throw Errors.InvalidParameter('The image file must be at most 131072 bytes.');
  if (image.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff) return 'jpeg';
  throw Errors.InvalidParameter('The image file must be a PNG or JPEG image.');
}

/**
 * UICustomizationType. Cognito's ImageUrl points at its CDN; Cognate's at
 * the path its hosted pages serve the logo from, under --public-url.
 */
export function describeCustomization(c: UiCustomization, publicUrl: string): Wire<UICustomizationType> {
  return {
    UserPoolId: c.poolId,
    ClientId: c.clientId,
    ...(c.imageFile ? { ImageUrl: `${publicUrl.replace(/\/$/, '')}/ui-customization/${c.poolId}/${c.clientId}/logo.${c.imageType}` } : {}),
    ...(c.css !== null ? { CSS: c.css, CSSVersion: String(c.lastModified) } : {}),
    LastModifiedDate: epochSeconds(c.lastModified),
    CreationDate: epochSeconds(c.creationDate),
  };
}
