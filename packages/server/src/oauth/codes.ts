import { sha256Base64url } from '../crypto/digest.ts';
import { createHash } from 'node:crypto';
import type { Deps } from '../context.ts';
import type { AuthorizeRequest } from './authorize-request.ts';

/** Cognito's authorization codes last five minutes (developer guide, "Authorize endpoint"). */
export const CODE_LIFETIME_MS = 5 * 60_000;

export const hashCode = sha256Base64url;

/** RFC 7636 section 4.6: BASE64URL(SHA256(ASCII(code_verifier))). */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');

/** A new authorization code for a signed-in user; only its hash is stored. */
export async function issueCode(deps: Pick<Deps, 'store' | 'ids' | 'clock'>, request: AuthorizeRequest, sub: string, authTime: number): Promise<string> {
  const code = deps.ids.bytes(32).toString('base64url');
  const now = deps.clock.now();
  await deps.store.oauthGrants.insertCode({
    code_hash: hashCode(code),
    pool_id: request.pool.id,
    client_id: request.client.clientId,
    sub,
    redirect_uri: request.redirectUri,
    scope: request.scopes.join(' '),
    nonce: request.nonce,
    code_challenge: request.codeChallenge,
    auth_time: authTime,
    created_at: now,
    expires_at: now + CODE_LIFETIME_MS,
    consumed_at: null,
    origin_jti: null,
  });
  return code;
}
