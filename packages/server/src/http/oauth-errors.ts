import type { FastifyRequest } from 'fastify';
import { CognitoError } from '../errors/cognito-error.ts';
import { OAuthError } from '../errors/oauth-error.ts';
import { databaseFault, faultMessage } from '../store/database-errors.ts';
import type { DatabaseFaultKind } from '../store/database-errors.ts';

/**
 * Any failure of an OAuth route, as an OAuthError. The front door's own
 * refusals keep their status and words: an IP rule's block is 403
 * access_denied, a rate limit 429; other Cognito-shaped errors are
 * invalid_request; a database fault or anything unexpected is server_error
 * (logged, never described beyond the fault's kind).
 */
export function asOAuthError(err: unknown, req: FastifyRequest, faults: { request(kind: DatabaseFaultKind, detail: string, reqId: string): void }): OAuthError {
  if (err instanceof OAuthError) return err;
  if (err instanceof CognitoError) {
    if (err.code === 'ForbiddenException') return new OAuthError('access_denied', err.message, 403);
    if (err.code === 'TooManyRequestsException') return new OAuthError('invalid_request', err.message, 429);
    if (err.statusCode < 500) return new OAuthError('invalid_request', err.message, err.statusCode);
  }
  const fault = databaseFault(err);
  if (fault) {
    faults.request(fault.kind, fault.detail, req.id);
    return new OAuthError('server_error', faultMessage(fault.kind), 500);
  }
  const status = (err as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status < 500) return new OAuthError('invalid_request', null, status);
  req.log.error({ err }, 'unexpected error');
  return new OAuthError('server_error', null, 500);
}
