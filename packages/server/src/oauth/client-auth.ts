import type { FastifyRequest } from 'fastify';
import type { AppClient } from '../domain/client-settings.ts';
import { OAuthError } from '../errors/oauth-error.ts';
import { clientSecretMatches } from '../services/lookups.ts';
import type { Store } from '../store/store.ts';
import type { Params } from './params.ts';

/** What the client presented: `client_secret_basic`, `client_secret_post`, or only its ID (a public client). */
interface Presented {
  clientId: string;
  secret: string | undefined;
}

const invalidClient = (status = 400) => new OAuthError('invalid_client', 'Client authentication failed.', status);

/**
 * RFC 6749 section 2.3.1: HTTP Basic with the ID and secret each
 * form-urlencoded first. Null when the request has no Basic credentials.
 */
function basicCredentials(req: FastifyRequest, status = 400): Presented | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || !/^basic /i.test(header)) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient(status);
  try {
    const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw invalidClient(status);
  }
}

/** The client ID the request names, from Basic credentials or the form, without checking anything (for audit names). */
export function presentedClientId(req: FastifyRequest, form: Params): string | null {
  try {
    return basicCredentials(req)?.clientId ?? form.get('client_id') ?? null;
  } catch {
    return form.get('client_id') ?? null;
  }
}

/**
 * Authenticates the calling client at the token and revocation endpoints.
 * One method per request (RFC 6749 section 2.3). A client with a secret
 * must present one of its secrets; a public client only names itself and
 * may not send a secret it does not have. `status`: 400 at the token
 * endpoint, 401 at the revocation endpoint (Cognito's documented answers).
 */
export async function authenticateClient(req: FastifyRequest, form: Params, store: Store, status = 400): Promise<AppClient> {
  const basic = basicCredentials(req, status);
  if (basic && form.has('client_secret')) throw new OAuthError('invalid_request', 'Only one client authentication method may be used.');
  if (basic && form.has('client_id') && form.get('client_id') !== basic.clientId) throw invalidClient(status);
  const presented: Presented | null = basic ?? (form.has('client_id') ? { clientId: form.get('client_id') ?? '', secret: form.get('client_secret') } : null);
  if (!presented) throw invalidClient(status);
  const client = await store.pools.client(presented.clientId);
  if (!client) throw invalidClient(status);
  if (client.secret === null) {
    if (presented.secret !== undefined && presented.secret !== '') throw invalidClient(status);
    return client;
  }
  if (!clientSecretMatches(client, presented.secret)) throw invalidClient(status);
  return client;
}
