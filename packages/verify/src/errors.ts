// One error class for every failure, each with a stable string `code` an app
// can switch on (the codes never change meaning; messages may be reworded).
// Compare codes, not classes: the ESM and CommonJS builds each have their own
// copy of the class, so `instanceof` fails across them.

export const ErrorCodes = {
  /** No token, an empty one, or no `Authorization: Bearer` header. */
  ERR_TOKEN_MISSING: 'ERR_TOKEN_MISSING',
  /** Longer than `maxTokenBytes`: refused before any parsing. */
  ERR_TOKEN_TOO_LARGE: 'ERR_TOKEN_TOO_LARGE',
  /** Not three segments, or a segment that is not valid JSON or UTF-8. */
  ERR_MALFORMED: 'ERR_MALFORMED',
  /** A segment that is not canonical base64url (padding, `+`/`/`, stray bits). */
  ERR_BASE64: 'ERR_BASE64',
  /** The header or payload JSON is not an object. */
  ERR_NOT_OBJECT: 'ERR_NOT_OBJECT',
  /** A `__proto__`, `constructor` or `prototype` key in the header or payload. */
  ERR_PROTOTYPE_KEY: 'ERR_PROTOTYPE_KEY',
  /** `alg` missing, `none` in any casing, HMAC, or not in the allowed list. */
  ERR_ALG: 'ERR_ALG',
  /** A `crit` (or `b64`) header: no extension is understood, so none is accepted. */
  ERR_CRIT: 'ERR_CRIT',
  /** A `jwk`, `jku`, `x5u` or `x5c` header: keys come only from the configured JWKS. */
  ERR_HEADER_KEY: 'ERR_HEADER_KEY',
  /** No `kid` header. */
  ERR_KID_MISSING: 'ERR_KID_MISSING',
  /** The `kid` is not in the JWKS (after at most one refetch per cool-down). */
  ERR_KID_UNKNOWN: 'ERR_KID_UNKNOWN',
  /** The key's type, curve, size or `alg` does not fit the token's `alg`. */
  ERR_KEY_MISMATCH: 'ERR_KEY_MISMATCH',
  /** The signature is missing, of the wrong length, or does not verify. */
  ERR_SIGNATURE: 'ERR_SIGNATURE',
  /** A required claim is absent (`claim` names it). */
  ERR_CLAIM_MISSING: 'ERR_CLAIM_MISSING',
  /** A claim has the wrong type (`claim` names it). */
  ERR_CLAIM_INVALID: 'ERR_CLAIM_INVALID',
  /** `exp` is now or in the past (beyond the clock skew). */
  ERR_EXPIRED: 'ERR_EXPIRED',
  /** `nbf` is in the future (beyond the clock skew). */
  ERR_NOT_YET_VALID: 'ERR_NOT_YET_VALID',
  /** `iat` is in the future (beyond the clock skew). */
  ERR_ISSUED_IN_FUTURE: 'ERR_ISSUED_IN_FUTURE',
  /** `exp - iat` is longer than `maxLifetimeSeconds`. */
  ERR_LIFETIME: 'ERR_LIFETIME',
  /** `iss` is not exactly the configured issuer. */
  ERR_ISSUER: 'ERR_ISSUER',
  /** `token_use` is not the expected one (an ID token where an access token is expected, or the reverse). */
  ERR_TOKEN_USE: 'ERR_TOKEN_USE',
  /** `client_id` (access token) or `aud` (ID token) is not an allowed client. */
  ERR_CLIENT_ID: 'ERR_CLIENT_ID',
  /** The token is valid but carries none of the required groups (HTTP 403). */
  ERR_GROUP: 'ERR_GROUP',
  /** The token is valid but carries none of the required scopes (HTTP 403). */
  ERR_SCOPE: 'ERR_SCOPE',
  /** The JWKS could not be fetched: network error, timeout, status, size (HTTP 503). */
  ERR_JWKS_FETCH: 'ERR_JWKS_FETCH',
  /** The JWKS document is not a JSON object with a `keys` array (HTTP 503). */
  ERR_JWKS_INVALID: 'ERR_JWKS_INVALID',
  /** `verifySync` before `hydrate()` (or `cacheJwks()`) loaded any keys. */
  ERR_NOT_HYDRATED: 'ERR_NOT_HYDRATED',
  /** Invalid options given to `createVerifier` or a middleware. */
  ERR_CONFIG: 'ERR_CONFIG',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** HTTP status a middleware answers with for each code. */
export function statusFor(code: ErrorCode): 401 | 403 | 500 | 503 {
  switch (code) {
    case 'ERR_GROUP':
    case 'ERR_SCOPE':
      return 403;
    case 'ERR_JWKS_FETCH':
    case 'ERR_JWKS_INVALID':
      return 503;
    case 'ERR_NOT_HYDRATED':
    case 'ERR_CONFIG':
      return 500;
    default:
      return 401;
  }
}

export class VerifyError extends Error {
  override readonly name = 'VerifyError';
  readonly code: ErrorCode;
  /** The claim concerned, for claim errors. */
  readonly claim: string | undefined;
  /** The HTTP status the middleware uses: 401, 403 (group/scope), 503 (JWKS), 500 (misuse). */
  readonly status: 401 | 403 | 500 | 503;

  constructor(code: ErrorCode, message: string, options: { claim?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.claim = options.claim;
    this.status = statusFor(code);
  }
}

/** True for any VerifyError, from either the ESM or the CommonJS build. */
export function isVerifyError(err: unknown): err is VerifyError {
  if (!(err instanceof Error) || err.name !== 'VerifyError') return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(ErrorCodes, code);
}
