import type { FastifyReply } from 'fastify';
import type { OAuthError } from '../errors/oauth-error.ts';
import { textFor } from './i18n.ts';
import { errorPage } from './pages.ts';

/**
 * A page route's failure (an expired CSRF token, a rate limit, a database
 * fault, anything unexpected) as an HTML page with the status it carries;
 * what went wrong is logged by asOAuthError, never shown.
 */
export function sendPageError(reply: FastifyReply, err: OAuthError): FastifyReply {
  const key = err.statusCode === 403 && err.error === 'invalid_request' ? 'expired' : 'generic';
  return reply
    .code(err.statusCode)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(errorPage('en', textFor('en'), key));
}
