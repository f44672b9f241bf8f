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
    return reply.send({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'token'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
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
