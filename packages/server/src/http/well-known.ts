import type { FastifyInstance } from 'fastify';
import type { Deps } from '../context.ts';
import { isPublished } from '../services/signing-key-rotation.ts';

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

// Per-pool discovery documents at the paths Cognito serves them, under the
// configured public URL, so `<iss>/.well-known/jwks.json` resolves for any
// verifier that derives the JWKS location from the issuer.
export function registerWellKnown(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/jwks.json', async (req, reply) => {
    const { poolId } = req.params;
    const pool = POOL_ID.test(poolId) ? await deps.store.pools.pool(poolId) : null;
    if (!pool) return reply.code(404).send({ message: `User pool ${poolId} does not exist.` });
    // Retired keys stay until the last token they signed expires (services/signing-key-rotation.ts).
    const now = deps.clock.now();
    const keys = (await deps.store.pools.signingKeys(poolId)).filter((k) => isPublished(k, now)).map((k) => JSON.parse(k.public_jwk) as object);
    return reply.header('cache-control', 'public, max-age=300').send({ keys });
  });

  app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/openid-configuration', async (req, reply) => {
    const { poolId } = req.params;
    const pool = POOL_ID.test(poolId) ? await deps.store.pools.pool(poolId) : null;
    if (!pool) return reply.code(404).send({ message: `User pool ${poolId} does not exist.` });
    const issuer = deps.tokens.issuer(poolId);
    // The OAuth endpoints answer at the public URL for every pool (the client_id names the pool), as at a pool's domain.
    const base = deps.tokens.baseUrl();
    return reply.send({
      issuer,
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth2/token`,
      userinfo_endpoint: `${base}/oauth2/userInfo`,
      revocation_endpoint: `${base}/oauth2/revoke`,
      end_session_endpoint: `${base}/logout`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'token'],
      grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'token_use',
        'email',
        'email_verified',
        'name',
        'preferred_username',
        'phone_number',
        'phone_number_verified',
        'cognito:username',
        'cognito:groups',
      ],
    });
  });
}
