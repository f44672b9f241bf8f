import type { Context } from '../../context.ts';
import type { AppClient } from '../../domain/client-settings.ts';
import type { AuthenticationResult } from '../../services/tokens.ts';
import type { Params } from '../params.ts';

/** The token endpoint's successful answer (RFC 6749 section 5.1). */
export interface TokenResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** One grant type of POST /oauth2/token: given the authenticated client and the form, tokens or an OAuthError. */
export interface Grant {
  type: string;
  exchange(form: Params, client: AppClient, ctx: Context): Promise<TokenResponse>;
}

export function tokenResponse(result: Pick<AuthenticationResult, 'AccessToken' | 'IdToken' | 'RefreshToken' | 'ExpiresIn'>): TokenResponse {
  return {
    access_token: result.AccessToken,
    ...(result.IdToken === undefined ? {} : { id_token: result.IdToken }),
    ...(result.RefreshToken === undefined ? {} : { refresh_token: result.RefreshToken }),
    token_type: 'Bearer',
    expires_in: result.ExpiresIn,
  };
}
