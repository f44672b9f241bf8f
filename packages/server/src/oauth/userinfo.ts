import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../context.ts';
import { CognitoError } from '../errors/cognito-error.ts';
import { describedRoute } from '../http/routes.ts';
import { idTokenClaims } from '../domain/claims.ts';
import { poolOfHost } from './domain-host.ts';

const EMAIL = ['email', 'email_verified'];

/** Cognito's 401 for a token it will not answer for, in the header as RFC 6750 section 3 puts it. */
function invalidToken(reply: FastifyReply): FastifyReply {
  const description = 'Access token is expired, disabled, or deleted, or the user has globally signed out.';
  return reply
    .code(401)
    .header('www-authenticate', `Bearer error="invalid_token", error_description="${description}"`)
    .header('cache-control', 'no-store')
    .send({ error: 'invalid_token', error_description: description });
}
const PHONE = ['phone_number', 'phone_number_verified'];

/**
 * GET or POST /oauth2/userInfo (developer guide, "UserInfo endpoint"): the
 * user's claims for an access token from the token endpoint with `openid`.
 * `sub` and `username` always; `email` and `phone` add their claims;
 * `profile` (or aws.cognito.signin.user.admin) every attribute the client
 * may read ("OAuth 2.0 scopes": profile authorizes all readable attributes).
 * Failures answer in the WWW-Authenticate header, as Cognito documents.
 */
export function registerUserInfo(app: FastifyInstance, deps: Deps): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers.authorization;
    const token = typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : '';
    if (!token) {
      return reply
        .code(400)
        .header('www-authenticate', 'Bearer error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"')
        .header('cache-control', 'no-store')
        .send({ error: 'invalid_request', error_description: 'Bad OAuth2 request at UserInfo Endpoint' });
    }
    let verified: Awaited<ReturnType<Deps['tokens']['verifyAccess']>>;
    try {
      verified = await deps.tokens.verifyAccess(token, 'openid');
    } catch (err) {
      if (!(err instanceof CognitoError) || err.statusCode >= 500) throw err;
      return invalidToken(reply);
    }
    const { claims, pool, client, user } = verified;
    // On a pool's domain, only that pool's tokens (oauth/domain-host.ts).
    const domainPool = await poolOfHost(deps, req.hostname);
    if (domainPool !== null && domainPool !== pool.id) return invalidToken(reply);
    const scopes = claims.scope.split(' ');
    const readable = idTokenClaims(pool, client, user);
    const all = scopes.includes('profile') || scopes.includes('aws.cognito.signin.user.admin');
    const info: Record<string, unknown> = { sub: user.sub };
    for (const [name, value] of Object.entries(readable)) {
      if (name === 'cognito:username') continue;
      // Cognito's userInfo answers the *_verified flags as strings ("true"), unlike the ID token's booleans (developer guide, "userInfo endpoint").
      if (all || (scopes.includes('email') && EMAIL.includes(name)) || (scopes.includes('phone') && PHONE.includes(name)))
        info[name] = typeof value === 'boolean' ? String(value) : value;
    }
    info['username'] = user.username;
    return reply.header('cache-control', 'no-store').send(info);
  };
  const route = describedRoute({
    service: 'oauth2',
    operation: 'UserInfo',
    quotaCategory: 'UserResourceRead',
    errors: 'oauth',
    names: () => ({ poolId: null, clientId: null }),
    redact: () => ({}),
  });
  app.get('/oauth2/userInfo', route, handler);
  app.post('/oauth2/userInfo', route, handler);
}
