import type { FastifyInstance } from 'fastify';
import type { Deps } from '../context.ts';
import { describedRoute } from '../http/routes.ts';
import { languageOf, textFor } from '../hosted-ui/i18n.ts';
import { errorPage } from '../hosted-ui/pages.ts';
import { locationOf } from './authorize-request.ts';
import { endHostedSession } from './hosted-session.ts';
import { queryOf, queryOrEmpty } from './params.ts';

/**
 * GET /logout (developer guide, "Logout endpoint"): ends the browser's
 * managed-login session, then sends it to `logout_uri` (one of the client's
 * LogoutURLs exactly) or, given `redirect_uri` (one of its CallbackURLs) and
 * `response_type`, back to the sign-in page for a new sign-in. Anything not
 * registered gets an error page and is never redirected to.
 */
export function registerLogout(app: FastifyInstance, deps: Deps): void {
  app.get(
    '/logout',
    describedRoute({
      service: 'oauth2',
      operation: 'Logout',
      quotaCategory: null,
      errors: 'page',
      names: (req) => ({ poolId: null, clientId: queryOrEmpty(req).get('client_id') ?? null }),
      redact: (req) => ({ client_id: queryOrEmpty(req).get('client_id'), logout_uri: queryOrEmpty(req).get('logout_uri') }),
    }),
    async (req, reply) => {
      const params = queryOf(req);
      const lang = languageOf(params.get('lang')) ?? 'en';
      const refuse = (key: string) =>
        reply
          .code(400)
          .header('content-type', 'text/html; charset=utf-8')
          .send(errorPage(lang, textFor(lang), key));
      const clientId = params.get('client_id');
      const client = clientId ? await deps.store.pools.client(clientId) : null;
      if (!client) return refuse('unknownClient');
      const logoutUri = params.get('logout_uri');
      const redirectUri = params.get('redirect_uri');
      let target: string;
      if (logoutUri !== undefined) {
        if (!(client.settings.LogoutURLs ?? []).includes(logoutUri)) return refuse('badLogout');
        target = logoutUri;
      } else if (redirectUri !== undefined && params.has('response_type')) {
        if (!(client.settings.CallbackURLs ?? []).includes(redirectUri)) return refuse('badRedirect');
        const next = new URLSearchParams();
        for (const k of ['client_id', 'redirect_uri', 'response_type', 'state', 'scope', 'lang']) {
          const v = params.get(k);
          if (v !== undefined) next.set(k, v);
        }
        target = `/login?${next.toString()}`;
      } else {
        return refuse('badLogout');
      }
      await endHostedSession(req, reply, deps);
      return reply.redirect(locationOf(target), 302);
    },
  );
}
