import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { CognitoClaims } from './claims.js';
import { isVerifyError, type VerifyError } from './errors.js';
import { authenticate, failure, guard, wantedList, type AuthOptions, type Failure } from './http.js';
import type { Verifier } from './verifier.js';

// Express middleware (4 and 5). Responses are written with Node's own
// ServerResponse methods, so they work under Connect-style servers too.

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The verified claims; null when optionalAuth found no usable token. */
      auth?: CognitoClaims | null;
      /** Why a presented token was refused (optionalAuth and requireAuth). */
      authError?: VerifyError;
    }
  }
}

export type { AuthOptions } from './http.js';

function send(res: Response, f: Failure): void {
  res.statusCode = f.status;
  for (const [name, value] of Object.entries(f.headers)) res.setHeader(name, value);
  res.end(JSON.stringify(f.body));
}

/** 401 (with a WWW-Authenticate challenge naming the error) unless the request carries a valid token; the claims go to `req.auth`. */
export function requireAuth(verifier: Verifier<unknown>, options: AuthOptions = {}): RequestHandler {
  return async function cognateRequireAuth(req: Request, res: Response, next: NextFunction): Promise<void> {
    let claims: CognitoClaims;
    try {
      claims = await authenticate(verifier, req.headers, options);
    } catch (err) {
      if (!isVerifyError(err)) return next(err);
      req.auth = null;
      req.authError = err;
      return send(res, failure(err, options.realm));
    }
    req.auth = claims;
    next();
  };
}

/**
 * Never refuses: `req.auth` gets the claims of a valid token, or null when
 * there is no token or a bad one (then `req.authError` says why).
 */
export function optionalAuth(verifier: Verifier<unknown>, options: AuthOptions = {}): RequestHandler {
  return async function cognateOptionalAuth(req: Request, _res: Response, next: NextFunction): Promise<void> {
    try {
      req.auth = await authenticate(verifier, req.headers, options);
    } catch (err) {
      if (!isVerifyError(err)) return next(err);
      req.auth = null;
      if (err.code !== 'ERR_TOKEN_MISSING') req.authError = err;
    }
    next();
  };
}

function guardHandler(kind: 'scope' | 'group', wanted: readonly string[], realm: string | undefined): RequestHandler {
  return function cognateGuard(req: Request, res: Response, next: NextFunction): void {
    const refused = guard(req.auth, kind, wanted);
    if (refused) send(res, failure(refused, realm));
    else next();
  };
}

/** After requireAuth: 403 unless the token has at least one of these scopes (chain guards for "all of"). */
export function requireScope(...scopes: string[]): RequestHandler {
  return guardHandler('scope', wantedList(scopes, 'requireScope'), undefined);
}

/** After requireAuth: 403 unless the token is in at least one of these groups (chain guards for "all of"). */
export function requireGroup(...groups: string[]): RequestHandler {
  return guardHandler('group', wantedList(groups, 'requireGroup'), undefined);
}
