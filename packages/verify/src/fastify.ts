import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CognitoClaims } from './claims.js';
import { isVerifyError, type VerifyError } from './errors.js';
import { authenticate, failure, guard, wantedList, type AuthOptions, type Failure } from './http.js';
import type { Verifier } from './verifier.js';

// Fastify hooks (4 and 5), for a route's `preHandler` (or `onRequest`) or
// for `addHook` on a whole scope.

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified claims; null when optionalAuth found no usable token. */
    auth?: CognitoClaims | null;
    /** Why a presented token was refused (optionalAuth and requireAuth). */
    authError?: VerifyError;
  }
}

export type { AuthOptions } from './http.js';

export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

function send(reply: FastifyReply, f: Failure): Promise<void> {
  return reply.code(f.status).headers(f.headers).send(f.body) as unknown as Promise<void>;
}

/** 401 (with a WWW-Authenticate challenge naming the error) unless the request carries a valid token; the claims go to `request.auth`. */
export function requireAuth(verifier: Verifier<unknown>, options: AuthOptions = {}): AuthHook {
  return async function cognateRequireAuth(request, reply) {
    try {
      request.auth = await authenticate(verifier, request.headers, options);
    } catch (err) {
      if (!isVerifyError(err)) throw err;
      request.auth = null;
      request.authError = err;
      return send(reply, failure(err, options.realm));
    }
  };
}

/**
 * Never refuses: `request.auth` gets the claims of a valid token, or null
 * when there is no token or a bad one (then `request.authError` says why).
 */
export function optionalAuth(verifier: Verifier<unknown>, options: AuthOptions = {}): AuthHook {
  return async function cognateOptionalAuth(request) {
    try {
      request.auth = await authenticate(verifier, request.headers, options);
    } catch (err) {
      if (!isVerifyError(err)) throw err;
      request.auth = null;
      if (err.code !== 'ERR_TOKEN_MISSING') request.authError = err;
    }
  };
}

function guardHook(kind: 'scope' | 'group', wanted: readonly string[]): AuthHook {
  return async function cognateGuard(request, reply) {
    const refused = guard(request.auth, kind, wanted);
    if (refused) return send(reply, failure(refused, undefined));
  };
}

/** After requireAuth: 403 unless the token has at least one of these scopes (chain guards for "all of"). */
export function requireScope(...scopes: string[]): AuthHook {
  return guardHook('scope', wantedList(scopes, 'requireScope'));
}

/** After requireAuth: 403 unless the token is in at least one of these groups (chain guards for "all of"). */
export function requireGroup(...groups: string[]): AuthHook {
  return guardHook('group', wantedList(groups, 'requireGroup'));
}
