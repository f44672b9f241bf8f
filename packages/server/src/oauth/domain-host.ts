import type { FastifyRequest } from 'fastify';
import type { Deps } from '../context.ts';
import { reservedHostReason } from '../domain/domain-names.ts';
import { OAuthError } from '../errors/oauth-error.ts';
import { routeOf, safeNames } from '../http/routes.ts';

// A pool's domain is reached by the Host header: a custom domain by its
// name (auth.example.com pointed at Cognate), a prefix domain as Cognito
// spells it (<prefix>.auth.<region>.amazoncognito.com, behind a resolver
// that sends it here) or as <prefix>.localhost, which browsers resolve to
// this machine without any DNS (RFC 6761 section 6.3). Any other host (the
// public URL, localhost, an IP address) serves every pool: the client_id
// names the pool. On a pool's domain, a client of another pool is refused.

const COGNITO_PREFIX = /^([a-z0-9-]+)\.auth\.[a-z0-9-]+\.amazoncognito\.com$/;
/** Hosts that cannot be a domain name (an IP address, localhost): no lookup for them. */
const NOT_A_DOMAIN = /^(localhost|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/;
const LOCAL_PREFIX = /^([a-z0-9-]+)\.localhost$/;

/** The pool whose domain the request's host is, or null when the host is not a registered domain. */
export async function poolOfHost(deps: Pick<Deps, 'store' | 'config'>, hostname: string): Promise<string | null> {
  const name = hostname.replace(/:\d+$/, '').toLowerCase();
  if (NOT_A_DOMAIN.test(name)) return null;
  const prefix = COGNITO_PREFIX.exec(name)?.[1] ?? LOCAL_PREFIX.exec(name)?.[1];
  // A host no custom domain may have (the public URL's, ...) serves every pool,
  // even if a row naming it was stored before CreateUserPoolDomain refused it.
  if (prefix === undefined && reservedHostReason(name, new URL(deps.config.publicUrl).hostname) !== null) return null;
  const domain = await deps.store.domains.byName(prefix ?? name);
  if (!domain || domain.custom === (prefix !== undefined)) return null;
  return domain.poolId;
}

/**
 * A preHandler for the OAuth routes: on a pool's domain, the client the
 * request names (query, form or Basic credentials: the route's names())
 * must be that pool's. Answered as invalid_client, in the route's shape.
 */
export function domainGuard(deps: Pick<Deps, 'store' | 'config'>) {
  return async (req: FastifyRequest): Promise<void> => {
    const route = routeOf(req);
    if (!route) return;
    const pool = await poolOfHost(deps, req.hostname);
    if (pool === null) return;
    const { clientId } = safeNames(req, route);
    if (clientId === null) return;
    const client = await deps.store.pools.client(clientId);
    if (client && client.poolId !== pool) throw new OAuthError('invalid_client', 'The client is not of the user pool this domain belongs to.');
  };
}
