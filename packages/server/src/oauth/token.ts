import type { FastifyInstance } from 'fastify';
import type { Deps } from '../context.ts';
import { requestContext, runAfterSuccess } from '../http/request-context.ts';
import { OAuthError } from '../errors/oauth-error.ts';
import { describedRoute } from '../http/routes.ts';
import { authenticateClient, presentedClientId } from './client-auth.ts';
import { authorizationCode } from './grants/authorization-code.ts';
import { clientCredentials } from './grants/client-credentials.ts';
import type { Grant } from './grants/grant.ts';
import { refreshToken } from './grants/refresh-token.ts';
import { formOf, formOrEmpty } from './params.ts';

const GRANTS: ReadonlyMap<string, Grant> = new Map([authorizationCode, refreshToken, clientCredentials].map((g) => [g.type, g]));

/**
 * POST /oauth2/token (developer guide, "Token endpoint"): a form, the client
 * authenticated (client_secret_basic or client_secret_post, or a public
 * client's ID), then the grant. Answers are never cached (RFC 6749 section 5.1).
 */
export function registerToken(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/oauth2/token',
    describedRoute({
      service: 'oauth2',
      operation: 'Token',
      quotaCategory: 'UserAuthentication',
      errors: 'oauth',
      names: (req) => ({ poolId: null, clientId: presentedClientId(req, formOrEmpty(req)) }),
      // The grant type and client only: codes, verifiers, refresh tokens and secrets stay out of the trail.
      redact: (req) => ({
        grant_type: formOrEmpty(req).get('grant_type'),
        client_id: presentedClientId(req, formOrEmpty(req)),
        scope: formOrEmpty(req).get('scope'),
      }),
    }),
    async (req, reply) => {
      const form = formOf(req);
      const type = form.get('grant_type');
      if (!type) throw new OAuthError('invalid_request', 'grant_type is required');
      const grant = GRANTS.get(type);
      if (!grant) throw new OAuthError('unsupported_grant_type', `grant_type ${type} is not supported`);
      const client = await authenticateClient(req, form, deps.store);
      const ctx = requestContext(deps, req);
      const answer = await grant.exchange(form, client, ctx);
      runAfterSuccess(ctx);
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(answer);
    },
  );
}
