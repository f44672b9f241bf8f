import type { FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { QuotaCategory } from '../services/quota-categories.ts';

// Routes other than the AWS-JSON front door (OAuth 2.0 endpoints, hosted
// pages, the console's API) declare what the front door's hooks need to
// treat them like an API call: the audit trail and access log (http/audit.ts)
// record their service and operation, metrics count them under those names,
// the pool's and app client's IP rules and the pool's rate limit
// (http/protection.ts) apply, and errors answer in the route's own shape
// (app.ts's error handler: an OAuth route answers {"error", "error_description"}).

export interface RouteDescription {
  /** The service named in the audit trail and metrics, e.g. `oauth2`. */
  service: string;
  /** The operation named there, e.g. `Token` (a fixed name: it is a metric label). */
  operation: string;
  /** The Cognito quota category its calls count against, or null for none. */
  quotaCategory: QuotaCategory | null;
  /** How failures are answered: OAuth's JSON, Cognito's JSON, or an HTML error page (the managed-login pages). */
  errors: 'oauth' | 'cognito' | 'page';
  /** The pool and app client the request names (read after the body is parsed), for IP rules, rate limits and the audit trail. */
  names(req: FastifyRequest): { poolId: string | null; clientId: string | null };
  /** The request's parameters as the audit trail may keep them: secrets (passwords, codes, client secrets, tokens) left out. */
  redact(req: FastifyRequest): unknown;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    cognateRoute?: RouteDescription;
  }
}

/** Route options carrying the description: `app.post(url, describedRoute(d), handler)`. */
export function describedRoute(description: RouteDescription): RouteShorthandOptions {
  return { config: { cognateRoute: description } };
}

/** The description of the route this request matched, if it has one. */
export const routeOf = (req: FastifyRequest): RouteDescription | undefined => req.routeOptions.config?.cognateRoute;

/** A described route's names; a route that cannot tell (its body unread, refused early) names nothing. */
export function safeNames(req: FastifyRequest, route: RouteDescription): { poolId: string | null; clientId: string | null } {
  try {
    return route.names(req);
  } catch {
    return { poolId: null, clientId: null };
  }
}
