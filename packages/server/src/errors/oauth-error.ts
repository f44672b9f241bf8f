import type { FastifyReply } from 'fastify';

/**
 * An error of the OAuth 2.0 endpoints, in the shape RFC 6749 section 5.2
 * gives them: `{"error": "...", "error_description": "..."}`, the code being
 * one of the RFC's (invalid_request, invalid_client, invalid_grant,
 * unauthorized_client, unsupported_grant_type, invalid_scope) or
 * server_error. Routes declared with `errors: 'oauth'` (http/routes.ts)
 * answer every failure this way, their hooks' refusals included.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string | null = null,
    readonly statusCode = 400,
  ) {
    super(description ?? error);
    this.name = 'OAuthError';
  }
}

/** Writes the error; responses carrying tokens or their errors are never cached (RFC 6749 section 5.1). */
export function sendOAuthError(reply: FastifyReply, err: OAuthError): FastifyReply {
  reply.code(err.statusCode).header('content-type', 'application/json;charset=UTF-8').header('cache-control', 'no-store').header('pragma', 'no-cache');
  return reply.send(JSON.stringify(err.description === null ? { error: err.error } : { error: err.error, error_description: err.description }));
}
