export { createVerifier, type Verifier, type VerifierOptions } from './verifier.js';
export { ErrorCodes, VerifyError, isVerifyError, statusFor, type ErrorCode } from './errors.js';
export { JwksCache, type JwksOptions } from './jwks.js';
export { ALGORITHMS, type Algorithm } from './keys.js';
export { bearerToken } from './http.js';
export type { AccessTokenClaims, ClaimsFor, CognitoClaims, IdTokenClaims, TokenUse } from './claims.js';
