import type { CognitoClaims } from './claims.js';
import { hasAnyGroup, hasAnyScope } from './claims.js';
import { VerifyError } from './errors.js';
import type { Verifier } from './verifier.js';

// What the Express and Fastify middleware share: reading the bearer token,
// and turning a failure into RFC 6750 §3 answers.

export interface AuthOptions {
  /** Where to find the token. Default: the `Authorization: Bearer <token>` header. */
  getToken?: (headers: Record<string, string | string[] | undefined>) => string | undefined;
  /** `realm` in the WWW-Authenticate challenge. Default: none. */
  realm?: string;
}

export interface Failure {
  status: number;
  headers: Record<string, string>;
  body: { error: string; code: string; message: string };
}

const BEARER = /^Bearer +([^\s]+) *$/i;

/** The token of an `Authorization: Bearer` header (RFC 6750 §2.1), or undefined. */
export function bearerToken(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers['authorization'];
  if (typeof value !== 'string') return undefined;
  return BEARER.exec(value)?.[1];
}

const quoted = (value: string): string => `"${value.replace(/["\\]/g, '')}"`;

function challenge(realm: string | undefined, params: Record<string, string>): string {
  const parts = realm === undefined ? [] : [`realm=${quoted(realm)}`];
  for (const [name, value] of Object.entries(params)) parts.push(`${name}=${quoted(value)}`);
  return parts.length ? `Bearer ${parts.join(', ')}` : 'Bearer';
}

/**
 * The answer for a failed check: 401 with `error="invalid_token"` and the
 * code as `error_description`; 401 with a bare challenge when no token was
 * sent (RFC 6750 §3.1: no error code then); 403 `insufficient_scope` for
 * group and scope failures; 503 when the keys cannot be fetched.
 */
export function failure(e: VerifyError, realm: string | undefined): Failure {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  if (e.code === 'ERR_TOKEN_MISSING') {
    return { status: 401, headers: { ...json, 'www-authenticate': challenge(realm, {}) }, body: { error: 'unauthorized', code: e.code, message: e.message } };
  }
  if (e.status === 403) {
    const params: Record<string, string> = { error: 'insufficient_scope', error_description: e.code };
    return {
      status: 403,
      headers: { ...json, 'www-authenticate': challenge(realm, params) },
      body: { error: 'insufficient_scope', code: e.code, message: e.message },
    };
  }
  if (e.status === 401) {
    const params = { error: 'invalid_token', error_description: e.code };
    return {
      status: 401,
      headers: { ...json, 'www-authenticate': challenge(realm, params) },
      body: { error: 'invalid_token', code: e.code, message: e.message },
    };
  }
  // 503 (the keys cannot be fetched) or 500 (verifySync before hydrate): not the client's fault.
  return { status: e.status, headers: json, body: { error: e.status === 503 ? 'temporarily_unavailable' : 'server_error', code: e.code, message: e.message } };
}

/** Verifies the request's token: claims, or a VerifyError (ERR_TOKEN_MISSING when there is none). */
export async function authenticate(
  verifier: Verifier<unknown>,
  headers: Record<string, string | string[] | undefined>,
  options: AuthOptions,
): Promise<CognitoClaims> {
  const token = (options.getToken ?? bearerToken)(headers);
  if (token === undefined || token === '') throw new VerifyError('ERR_TOKEN_MISSING', 'No bearer token in the request');
  return (await verifier.verify(token)) as CognitoClaims;
}

/** For the guards: null when the claims pass, else the VerifyError to answer with. */
export function guard(claims: CognitoClaims | null | undefined, kind: 'scope' | 'group', wanted: readonly string[]): VerifyError | null {
  if (!claims) return new VerifyError('ERR_TOKEN_MISSING', 'Authentication is required');
  if (kind === 'scope') {
    return typeof claims.scope === 'string' && hasAnyScope(claims.scope, wanted)
      ? null
      : new VerifyError('ERR_SCOPE', `Requires one of the scopes ${wanted.join(' ')}`, { claim: 'scope' });
  }
  return hasAnyGroup(claims, wanted) ? null : new VerifyError('ERR_GROUP', `Requires one of the groups ${wanted.join(', ')}`, { claim: 'cognito:groups' });
}

export function wantedList(values: readonly string[], what: string): readonly string[] {
  if (values.length === 0 || !values.every((v) => typeof v === 'string' && v !== ''))
    throw new VerifyError('ERR_CONFIG', `${what} needs at least one non-empty name`);
  return Object.freeze([...values]);
}
