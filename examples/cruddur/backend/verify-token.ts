// Access-token verification, kept in this one module so it can be swapped
// (for aws-jwt-verify, or jose's createRemoteJWKSet + jwtVerify) without
// touching the API.
//
// @cognate/verify checks what the seed's CognitoJwtToken checks, and what it
// missed: the signature against the pool's JWKS (fetched once, cached,
// refetched for an unknown kid), expiry, the issuer (<Cognate URL>/<pool id>),
// token_use = "access" (an ID token is no credential for the API) and
// client_id = our app client.
import { createVerifier, type AccessTokenClaims } from '@cognate/verify';
import { fetchTrusting } from './trusted-fetch.ts';

export type { AccessTokenClaims };

export interface VerifierOptions {
  /** `${cognitoEndpoint}/${userPoolId}`: the `iss` of the pool's tokens. */
  issuer: string;
  clientId: string;
  /** A certificate (PEM) to trust when fetching the JWKS: Cognate's self-signed one in development. */
  ca?: string;
}

/** Resolves to the token's claims, or rejects with a VerifyError (`code`, `message`). */
export function createAccessTokenVerifier({ issuer, clientId, ca }: VerifierOptions): (token: string) => Promise<AccessTokenClaims> {
  const verifier = createVerifier({ issuer, tokenUse: 'access', clientId, ...(ca ? { jwks: { fetch: fetchTrusting(ca) } } : {}) });
  return (token) => verifier.verify(token);
}
