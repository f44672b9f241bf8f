import type { ClientSecret } from '../domain/client-settings.ts';
import { LOWER_ALNUM, newClientSecret, type Ids } from '../services/ids.ts';

/**
 * A new app-client secret: the given value (AddUserPoolClientSecret accepts
 * one, 24 to 64 word characters, model-checked) or a generated 51-character
 * one. Its ID names it in ListUserPoolClientSecrets and
 * DeleteUserPoolClientSecret and reveals nothing about the value.
 */
export const newSecret = (ids: Ids, now: number, value?: string): ClientSecret => ({
  id: ids.chars(LOWER_ALNUM, 32),
  value: value ?? newClientSecret(ids),
  createdAt: now,
});
