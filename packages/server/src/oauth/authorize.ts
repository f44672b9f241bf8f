import type { FastifyInstance } from 'fastify';
import type { Deps } from '../context.ts';
import { describedRoute } from '../http/routes.ts';
import { languageOf, textFor } from '../hosted-ui/i18n.ts';
import { errorPage } from '../hosted-ui/pages.ts';
import { authorizationAnswer, implicitTokens } from './answer.ts';
import { requestContext } from '../http/request-context.ts';
import { checkAuthorizeRequest, redirectWith } from './authorize-request.ts';
import { currentHostedSession } from './hosted-session.ts';
import { queryOf, queryOrEmpty } from './params.ts';
import { preTokenGeneration } from '../triggers/pre-token-generation.ts';

/**
 * GET /oauth2/authorize (developer guide, "Authorize endpoint"): a browser
 * with a managed-login session for the pool gets its answer at once;
 * otherwise it is sent to /login with the same query. A request naming an
 * identity provider other than the pool's own directory (COGNITO) is
 * refused until federation exists.
 */
export function registerAuthorize(app: FastifyInstance, deps: Deps): void {
  app.get(
    '/oauth2/authorize',
    describedRoute({
      service: 'oauth2',
      operation: 'Authorize',
      quotaCategory: null,
      errors: 'page',
      names: (req) => ({ poolId: null, clientId: queryOrEmpty(req).get('client_id') ?? null }),
      redact: (req) => {
        const q = queryOrEmpty(req);
        return { client_id: q.get('client_id'), response_type: q.get('response_type'), scope: q.get('scope'), redirect_uri: q.get('redirect_uri') };
      },
    }),
    async (req, reply) => {
      const params = queryOf(req);
      const checked = await checkAuthorizeRequest(deps.store, params);
      if (!checked.ok) {
        if (checked.refusal.kind === 'redirect') return reply.redirect(checked.refusal.to, 302);
        const lang = languageOf(params.get('lang')) ?? 'en';
        return reply
          .code(400)
          .header('content-type', 'text/html; charset=utf-8')
          .send(errorPage(lang, textFor(lang), checked.refusal.message));
      }
      const request = checked.request;
      const provider = params.get('identity_provider');
      if (provider !== undefined && provider !== 'COGNITO') {
        return reply.redirect(
          redirectWith(request.redirectUri, request.responseType, {
            error: 'invalid_request',
            error_description: 'Unknown identity provider',
            state: request.state,
          }),
          302,
        );
      }
      const session = await currentHostedSession(req, deps, request.pool.id);
      if (session) {
        const ctx = requestContext(deps, req);
        const implicit = await implicitTokens(deps, request, session.user, session.authTime, preTokenGeneration(ctx, 'HostedAuth'));
        return reply.redirect(await authorizationAnswer(deps, request, session.user, session.authTime, implicit), 302);
      }
      const at = req.url.indexOf('?');
      return reply.redirect(`/login${at < 0 ? '' : req.url.slice(at)}`, 302);
    },
  );
}
