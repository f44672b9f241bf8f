import type { FastifyInstance } from 'fastify';
import type { Deps } from '../context.ts';
import { OAuthError } from '../errors/oauth-error.ts';
import { describedRoute } from '../http/routes.ts';
import { isCanonicalJws } from '../services/tokens.ts';
import { findRefreshToken } from '../services/refresh.ts';
import { authenticateClient, presentedClientId } from './client-auth.ts';
import { formOf, formOrEmpty } from './params.ts';

/**
 * POST /oauth2/revoke (developer guide, "Revoke endpoint"; RFC 7009): a
 * refresh token's family is revoked, its access and ID tokens with it.
 * Success, empty, also for a token unknown or already revoked; 400
 * unsupported_token_type for an access or ID token; 400 invalid_request when
 * the client has revocation turned off; 401 invalid_client.
 */
export function registerRevoke(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/oauth2/revoke',
    describedRoute({
      service: 'oauth2',
      operation: 'Revoke',
      quotaCategory: 'UserAuthentication',
      errors: 'oauth',
      names: (req) => ({ poolId: null, clientId: presentedClientId(req, formOrEmpty(req)) }),
      redact: (req) => ({ client_id: presentedClientId(req, formOrEmpty(req)) }),
    }),
    async (req, reply) => {
      const form = formOf(req);
      const client = await authenticateClient(req, form, deps.store, 401);
      const token = form.get('token');
      if (!token) throw new OAuthError('invalid_request', 'token is required');
      if (client.settings.EnableTokenRevocation === false) throw new OAuthError('invalid_request', 'Token revocation is not enabled for this client.');
      if (isCanonicalJws(token)) throw new OAuthError('unsupported_token_type', 'Only refresh tokens can be revoked.');
      const session = (await findRefreshToken(deps.store, token))?.session;
      // RFC 7009 section 2.1: a client revokes only its own tokens; another's is left alone, and the answer is the same.
      if (session && session.client_id === client.clientId) await deps.store.tokens.revokeSession(session.origin_jti, deps.clock.now());
      return reply.header('cache-control', 'no-store').send('');
    },
  );
}
