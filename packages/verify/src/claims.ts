import { VerifyError } from './errors.js';

// Claim types as Cognito writes them (and Cognate, which copies Cognito):
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html

export type TokenUse = 'access' | 'id';

interface BaseClaims {
  /** The user's (or, for client-credentials tokens, the app client's) unique ID. */
  sub: string;
  iss: string;
  exp: number;
  iat: number;
  nbf?: number;
  auth_time?: number;
  jti?: string;
  origin_jti?: string;
  event_id?: string;
  'cognito:groups'?: string[];
  [claim: string]: unknown;
}

export interface AccessTokenClaims extends BaseClaims {
  token_use: 'access';
  client_id: string;
  /** Space-separated; `aws.cognito.signin.user.admin` for API sign-in. */
  scope?: string;
  /** Absent in client-credentials (machine-to-machine) tokens. */
  username?: string;
  version?: number;
}

export interface IdTokenClaims extends BaseClaims {
  token_use: 'id';
  /** The app client ID. */
  aud: string;
  'cognito:username': string;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
  name?: string;
  preferred_username?: string;
  nonce?: string;
  at_hash?: string;
  'cognito:roles'?: string[];
  'cognito:preferred_role'?: string;
}

export type CognitoClaims = AccessTokenClaims | IdTokenClaims;
export type ClaimsFor<T extends TokenUse | null> = T extends 'access' ? AccessTokenClaims : T extends 'id' ? IdTokenClaims : CognitoClaims;

/** The settled claim rules of one verifier. */
export interface ClaimRules {
  readonly issuer: string;
  readonly tokenUse: TokenUse | null;
  readonly clientIds: readonly string[] | null;
  readonly groups: readonly string[] | null;
  readonly scopes: readonly string[] | null;
  readonly skew: number;
  readonly maxLifetime: number | null;
  readonly now: () => number;
}

const missing = (claim: string): VerifyError => new VerifyError('ERR_CLAIM_MISSING', `The token has no ${claim} claim`, { claim });
const invalid = (claim: string, what: string): VerifyError => new VerifyError('ERR_CLAIM_INVALID', `The token's ${claim} claim is not ${what}`, { claim });

function numericDate(payload: Record<string, unknown>, claim: string, required: boolean): number | undefined {
  const value = payload[claim];
  if (value === undefined) {
    if (required) throw missing(claim);
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(claim, 'a number of seconds');
  return value;
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * Checks the claims of a token whose signature has been verified, in a fixed
 * order: issuer, token use, client, then time (exp, nbf, iat, lifetime), then
 * subject and the types of the Cognito claims, then groups and scopes.
 */
export function checkClaims(payload: Record<string, unknown>, rules: ClaimRules): void {
  const iss = payload['iss'];
  if (iss !== rules.issuer)
    throw new VerifyError('ERR_ISSUER', iss === undefined ? 'The token has no iss claim' : 'The token was issued by another issuer', { claim: 'iss' });

  const use = payload['token_use'];
  if (rules.tokenUse !== null && use !== rules.tokenUse) {
    throw new VerifyError('ERR_TOKEN_USE', use === undefined ? 'The token has no token_use claim' : `Expected an ${rules.tokenUse} token`, {
      claim: 'token_use',
    });
  }

  if (rules.clientIds !== null) {
    // Access tokens name their client in client_id and have no aud; ID
    // tokens name it in aud.
    const claim = use === 'id' ? 'aud' : 'client_id';
    const client = payload[claim];
    if (typeof client !== 'string') throw new VerifyError('ERR_CLIENT_ID', `The token has no ${claim} claim`, { claim });
    if (!rules.clientIds.includes(client)) throw new VerifyError('ERR_CLIENT_ID', 'The token was issued to another app client', { claim });
  }

  const now = rules.now() / 1000;
  const exp = numericDate(payload, 'exp', true)!;
  // RFC 7519 §4.1.4: not accepted "on or after" exp.
  if (now >= exp + rules.skew) throw new VerifyError('ERR_EXPIRED', 'The token has expired', { claim: 'exp' });
  const nbf = numericDate(payload, 'nbf', false);
  if (nbf !== undefined && nbf > now + rules.skew) throw new VerifyError('ERR_NOT_YET_VALID', 'The token is not valid yet', { claim: 'nbf' });
  const iat = numericDate(payload, 'iat', true)!;
  if (iat > now + rules.skew) throw new VerifyError('ERR_ISSUED_IN_FUTURE', 'The token was issued in the future', { claim: 'iat' });
  if (rules.maxLifetime !== null && exp - iat > rules.maxLifetime) {
    throw new VerifyError('ERR_LIFETIME', `The token's lifetime exceeds ${rules.maxLifetime} seconds`, { claim: 'exp' });
  }
  numericDate(payload, 'auth_time', false);

  const sub = payload['sub'];
  if (sub === undefined) throw missing('sub');
  if (typeof sub !== 'string' || sub === '') throw invalid('sub', 'a non-empty string');
  if (use === 'id' && typeof payload['cognito:username'] !== 'string') {
    throw payload['cognito:username'] === undefined ? missing('cognito:username') : invalid('cognito:username', 'a string');
  }
  if (payload['username'] !== undefined && typeof payload['username'] !== 'string') throw invalid('username', 'a string');
  const scope = payload['scope'];
  if (scope !== undefined && typeof scope !== 'string') throw invalid('scope', 'a string');
  const groups = payload['cognito:groups'];
  if (groups !== undefined && !isStringArray(groups)) throw invalid('cognito:groups', 'a list of strings');

  if (rules.groups !== null && !(groups !== undefined && rules.groups.some((g) => groups.includes(g)))) {
    throw new VerifyError('ERR_GROUP', `The token is in none of the groups ${rules.groups.join(', ')}`, { claim: 'cognito:groups' });
  }
  if (rules.scopes !== null && !(typeof scope === 'string' && hasAnyScope(scope, rules.scopes))) {
    throw new VerifyError('ERR_SCOPE', `The token has none of the scopes ${rules.scopes.join(' ')}`, { claim: 'scope' });
  }
}

/** True when the space-separated `scope` holds at least one of `wanted`. */
export function hasAnyScope(scope: string, wanted: readonly string[]): boolean {
  const have = scope.split(' ');
  return wanted.some((s) => have.includes(s));
}

/** True when the claims list at least one of `wanted` in cognito:groups. */
export function hasAnyGroup(claims: { 'cognito:groups'?: unknown }, wanted: readonly string[]): boolean {
  const groups = claims['cognito:groups'];
  return Array.isArray(groups) && wanted.some((g) => groups.includes(g));
}
